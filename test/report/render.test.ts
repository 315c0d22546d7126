// A run's report files are put together from each replication rendered as it ends (render.ts):
// the rendering and the assembly must give what one pass over every replication's output would.
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StagedReportDir, writeReportDir } from '../../src/report/write.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runOne } from '../../src/cli/execute.js';
import { CsvBuilder } from '../../src/report/csv.js';
import {
  idbWindowRecords,
  idbWindowsHeader,
  type ReplicationOutput,
} from '../../src/report/files.js';
import {
  ReportAssembler,
  assembleFiles,
  isRenderedReplication,
  renderReplication,
} from '../../src/report/render.js';
import { streamReplicationItems, type TaskRunner } from '../../src/cli/pool.js';
import type { Task, TaskOutcome } from '../../src/cli/tasks.js';

const SHORT = 'test/fixtures/experiments/host-loss-short.yaml';
const spec = loadScenario(SHORT, { sets: [] });
const outputs = [0, 1, 2].map((r) => runOne(spec, r));

/** The output with each window written to its first IDB only (a replication with fewer IDB columns). */
function narrowed(o: ReplicationOutput): ReplicationOutput {
  const windows = o.result.icon.windows.map((w) => ({ ...w, idbs: w.idbs.slice(0, 1) }));
  return { ...o, result: { ...o.result, icon: { ...o.result.icon, windows } } };
}

function records(write: (b: CsvBuilder) => void): string {
  const b = new CsvBuilder();
  write(b);
  return b.text();
}

describe('report files from replications rendered one by one', () => {
  test('idb-windows.csv: every replication gets the widest replication IDB columns, whichever comes first', () => {
    const [a, b, c] = outputs as [ReplicationOutput, ReplicationOutput, ReplicationOutput];
    expect(a.result.icon.windows.every((w) => w.idbs.length === 2)).toBe(true);
    const narrowB = narrowed(b);
    for (const order of [
      [a, narrowB, c], // a narrow one after a wide one: padded as it comes
      [narrowB, a, c], // a wide one after a narrow one: the header and the records before widen
    ]) {
      // What a single pass over all three outputs writes: two IDB column triples in every row.
      const want =
        idbWindowsHeader(2).join(',') +
        '\n' +
        records((w) => {
          for (const o of order) idbWindowRecords(o.result, 2, w);
        });
      const got = assembleFiles(
        spec,
        order.map((o) => renderReplication(spec, o)),
      ).files.get('idb-windows.csv')!;
      expect(got).toBe(want);
      const widths = got
        .trimEnd()
        .split('\n')
        .map((l) => l.split(',').length);
      expect(new Set(widths)).toEqual(new Set([8 + 6]));
    }
    // The narrowed replication alone writes one triple: the padding above is not a no-op.
    const alone = assembleFiles(spec, [renderReplication(spec, narrowB)]).files;
    expect(alone.get('idb-windows.csv')!.split('\n')[0]).toBe(idbWindowsHeader(1).join(','));
  });

  test('a run staged on disk writes what the in-memory assembly gives, a widening replication included', () => {
    // The narrowed replication first: the second one widens idb-windows.csv on disk.
    const rendered = [narrowed(outputs[1]!), outputs[0]!, outputs[2]!].map((o) =>
      renderReplication(spec, o),
    );
    const out = join(mkdtempSync(join(tmpdir(), 'ccsim-render-')), 'r');
    const staged = new StagedReportDir(out);
    const asm = new ReportAssembler(spec, staged);
    for (const r of rendered) asm.add(r);
    expect(asm.rows.map((r) => r.replication)).toEqual([1, 0, 2]);
    staged.commit(asm.finish());
    const want = assembleFiles(spec, rendered).files;
    expect(readdirSync(out).sort()).toEqual([...want.keys()].sort());
    for (const [name, text] of want) expect(readFileSync(join(out, name), 'utf8'), name).toBe(text);
    expect(want.get('idb-windows.csv')!.split('\n')[0]).toBe(idbWindowsHeader(2).join(','));
    const intervals = want.get('intervals.csv')!.trimEnd().split('\n');
    expect(new Set(intervals.slice(1).map((l) => l.split(',')[0]))).toEqual(
      new Set(['0', '1', '2']),
    );
  });

  test('a report file name that is not a plain name is refused, and nothing is left staged', () => {
    const parent = mkdtempSync(join(tmpdir(), 'ccsim-render-'));
    for (const bad of ['a/b.csv', '.hidden', '']) {
      expect(() => writeReportDir(join(parent, 'r'), new Map([[bad, 'x']]))).toThrow(
        /is not a plain file name/,
      );
      const staged = new StagedReportDir(join(parent, 'r'));
      expect(() => staged.append(bad, 'x')).toThrow(/is not a plain file name/);
      staged.abandon();
      expect(readdirSync(parent)).toEqual([]);
    }
  });

  test('what a worker returns survives structured cloning and is recognised as rendered; other data is not', () => {
    const r = structuredClone(renderReplication(spec, outputs[0]!));
    expect(isRenderedReplication(r)).toBe(true);
    expect(isRenderedReplication(outputs[0])).toBe(false);
    expect(isRenderedReplication({ ...r, dss: 1 })).toBe(false);
    expect(
      isRenderedReplication({ ...r, records: { ...r.records, 'faults.csv': undefined } }),
    ).toBe(false);
  });
});

describe('streamReplicationItems', () => {
  test('hands replications on in item order whatever order they end in, keeping none of them', async () => {
    const rendered = outputs.map((o) => renderReplication(spec, o));
    let kept: (TaskOutcome | undefined)[] = [];
    // A runner whose tasks end last first, as a slow first replication on two workers would.
    const runner = {
      workers: 3,
      async run(
        tasks: readonly Task[],
        _p: unknown,
        opts: { onSuccess?: (i: number, o: TaskOutcome & { ok: true }) => TaskOutcome },
      ) {
        kept = new Array<TaskOutcome | undefined>(tasks.length);
        for (let i = tasks.length - 1; i >= 0; i--) {
          const o = { ok: true, kind: 'replication', rendered: rendered[i]!, wallS: i } as const;
          kept[i] = opts.onSuccess!(i, o);
        }
        return kept;
      },
    } as unknown as TaskRunner;
    const seen: number[] = [];
    await streamReplicationItems(
      runner,
      [0, 1, 2].map((replication) => ({ spec, replication })),
      () => '',
      (i, r) => {
        expect(r.value.row.replication).toBe(i);
        expect(r.wallS).toBe(i);
        seen.push(i);
      },
    );
    expect(seen).toEqual([0, 1, 2]);
    expect(kept.every((o) => o?.ok === true && o.kind === 'delivered')).toBe(true);
  });
});
