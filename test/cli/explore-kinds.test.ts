// explore draws every modelled fault kind the topology offers (the second round's gateway-down,
// wan-degrade and agent-logout too) and its reproducers replay the drawn faults exactly: the
// reproducer YAML, loaded back, gives the very faults that were run. Budget: ~300 loads, < 3 s.
import { describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stream } from '../../src/sim/index.js';
import { loadScenario } from '../../src/scenario/load.js';
import { candidates, drawSchedule, reproYaml, type Draft } from '../../src/cli/explore.js';
import { FAULT_UNDO } from '../../src/scenario/faults.js';
import { FAULT_KINDS, type FaultKind } from '../../src/spec/kinds.js';
import { tempDir } from './helpers.js';

/** A fault as the model gets it, without the loader's id and index. */
function bare(f: Draft | (Draft & { id: string; index: number })): Draft {
  const { id: _id, index: _index, ...rest } = f as Draft & { id?: string; index?: number };
  return rest as Draft;
}

describe('explore: fault kinds and reproducers', () => {
  test('every fault kind that is not an undo is drawn where the topology has a target', () => {
    const spec = loadScenario('scenarios/site-failure-local-first.yaml');
    const drawn = new Set(candidates(spec).map((c) => c.kind));
    const undo = new Set<FaultKind>(Object.values(FAULT_UNDO));
    undo.add('process-start'); // an operator's restart: drawn as the undo of a crash or hang
    for (const kind of FAULT_KINDS) if (!undo.has(kind)) expect(drawn, kind).toContain(kind);
  });

  test('reproducer YAML replays the drawn faults exactly (every kind, its parameters)', () => {
    const spec = loadScenario('scenarios/site-failure-local-first.yaml');
    const pool = candidates(spec);
    const dir = tempDir('explore-kinds');
    const rng = new Stream('explore-kinds-test');
    const seen = new Map<string, number>();
    for (let i = 0; i < 150; i++) {
      const drafts = drawSchedule(spec, rng.fork(`run-${i}`), pool);
      const yaml = reproYaml(spec, dir, i, drafts, ['x'], undefined);
      const file = join(dir, `repro-${i}.yaml`);
      writeFileSync(file, yaml);
      const back = loadScenario(file);
      expect(back.faults.map(bare), yaml).toEqual(drafts.map(bare));
      for (const f of drafts) seen.set(f.kind, (seen.get(f.kind) ?? 0) + 1);
    }
    // The new kinds were among those replayed, with their parameters in range.
    for (const k of ['gateway-down', 'wan-degrade', 'agent-logout'] as const)
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);
  });

  test('drawn parameters stay in their ranges', () => {
    const spec = loadScenario('scenarios/site-failure-local-first.yaml');
    const pool = candidates(spec).filter((c) =>
      ['wan-degrade', 'agent-logout', 'gateway-down'].includes(c.kind),
    );
    const rng = new Stream('explore-ranges');
    const reasons = new Set<string>();
    let latencyOnly = 0;
    let lossOnly = 0;
    for (let i = 0; i < 300; i++) {
      for (const f of drawSchedule(spec, rng.fork(`r${i}`), pool)) {
        if (f.kind === 'wan-degrade') {
          expect(f.latencyMs > 0 || f.loss > 0).toBe(true);
          expect(f.latencyMs).toBeLessThanOrEqual(1000);
          expect(f.loss).toBeGreaterThanOrEqual(0);
          expect(f.loss).toBeLessThanOrEqual(0.5);
          expect(f.durationMs).toBeGreaterThan(0);
          if (f.loss === 0) latencyOnly++;
          if (f.latencyMs === 0) lossOnly++;
        } else if (f.kind === 'agent-logout') {
          expect(f.share).toBeGreaterThanOrEqual(0.1);
          expect(f.share).toBeLessThanOrEqual(1);
          reasons.add(f.reason);
        } else if (f.kind === 'gateway-down') {
          expect(spec.topology.sites.map((s) => s.id)).toContain(f.target);
          expect(f.durationMs).toBeGreaterThan(0);
        }
      }
    }
    expect(latencyOnly).toBeGreaterThan(0);
    expect(lossOnly).toBeGreaterThan(0);
    expect([...reasons].sort()).toEqual(['manual', 'supervisor']);
  });
});
