// What a bench-day call is made of (issue 21), for whoever looks for the next cut:
//   events N  events scheduled a call, by handler class and kind (R: a reserved place, see
//             SimContext.reserve; call: a closure), over replications 1..N after replication 0:
//             which mechanisms a call's ~4 events are
//   fixed N   warm wall a replication at full traffic and at 1 call an hour with no T-Server
//             traffic (the same faults), alternating, N pairs after 10 warm-up replications of
//             each: the share of the per-call figure that is per-replication work (logins, ADDP,
//             HA pairs and their listeners, warm-standby retries), whatever the calls
//   alloc N   bytes allocated in N warm replications (after 15), by the function allocating
//             them and its caller (V8's sampling heap profiler, one sample per 512 bytes, the
//             objects a collection freed included): a number a call that the code does not ask
//             for, such as a double V8 boxes on its way out of a call, shows here as bytes a call
// usage: npm run build && node dist/bench/anatomy.js events 2 | fixed 10 | alloc 5
// Wall times here, like the rest of bench/; nothing here is asserted.

import inspector from 'node:inspector';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOne } from '../src/cli/execute.js';
import { loadScenario } from '../src/scenario/load.js';
import { Simulator, type Handler } from '../src/sim/index.js';
import { DAY_LOW_TRAFFIC_SETS, DAY_SCENARIO } from './throughput.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..'); // dist/bench → repo root
const [what, nArg] = process.argv.slice(2);
const n = Number(nArg);
if (!(Number.isInteger(n) && n >= 1) || !['events', 'fixed', 'alloc'].includes(what ?? '')) {
  process.stderr.write('usage: anatomy.js events|fixed|alloc N (N >= 1)\n');
  process.exit(2);
}

const load = (sets: string[]) => loadScenario(path.join(repoRoot, DAY_SCENARIO), { sets });

/** Counts what each schedule call of every simulator schedules, by handler class and kind. */
function countEvents(counts: Map<string, number>, on: () => boolean): void {
  type Target = Handler | number | (() => void);
  type Fn = (...a: unknown[]) => unknown;
  const proto = Simulator.prototype as unknown as Record<string, Fn>;
  const label = (sim: unknown, h: Target, kind: number): string => {
    if (typeof h === 'function') return 'call';
    const obj = typeof h === 'number' ? (sim as { hObjs: Handler[] }).hObjs[h]! : h;
    return `${obj.constructor.name}:${kind}`;
  };
  const count = (key: string) => {
    if (on()) counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (const name of ['schedule', 'scheduleAt', 'postAt'] as const) {
    const orig = proto[name]!;
    proto[name] = function (
      this: unknown,
      t: unknown,
      h: Target,
      kind: number = 0,
      arg: number = 0,
    ) {
      count(label(this, h, kind));
      return orig.call(this, t, h, kind, arg);
    } as Fn;
  }
  const reserved = proto.scheduleReserved!;
  proto.scheduleReserved = function (
    this: unknown,
    t: unknown,
    seq: unknown,
    h: Target,
    kind: number = 0,
    arg: number = 0,
  ) {
    count(`R ${label(this, h, kind)}`);
    return reserved.call(this, t, seq, h, kind, arg);
  } as Fn;
  const call = proto.call!;
  proto.call = function (this: unknown, d: unknown, fn: unknown) {
    count('call');
    return call.call(this, d, fn);
  };
}

function events(): void {
  const counts = new Map<string, number>();
  let counting = false;
  countEvents(counts, () => counting);
  const spec = load([]);
  runOne(spec, 0);
  counting = true;
  let calls = 0;
  for (let r = 1; r <= n; r++) calls += runOne(spec, r).result.counters.calls_offered ?? 0;
  const rows = [...counts].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((s, [, v]) => s + v, 0);
  for (const [k, v] of rows) process.stdout.write(`${(v / calls).toFixed(4).padStart(8)}  ${k}\n`);
  process.stdout.write(
    `${JSON.stringify({ bench: 'anatomy-events', replications: n, calls, scheduled_per_call: total / calls })}\n`,
  );
}

function fixed(): void {
  const day = load([]);
  const low = load(DAY_LOW_TRAFFIC_SETS);
  for (let r = 0; r < 10; r++) {
    runOne(day, r);
    runOne(low, r);
  }
  let dayNs = 0;
  let lowNs = 0;
  let calls = 0;
  for (let i = 0; i < n; i++) {
    let t0 = process.hrtime.bigint();
    runOne(low, 100 + i);
    lowNs += Number(process.hrtime.bigint() - t0);
    t0 = process.hrtime.bigint();
    calls += runOne(day, 200 + i).result.counters.calls_offered ?? 0;
    dayNs += Number(process.hrtime.bigint() - t0);
  }
  process.stdout.write(
    `${JSON.stringify({
      bench: 'anatomy-fixed',
      pairs: n,
      day_ms_per_replication: dayNs / n / 1e6,
      low_traffic_ms_per_replication: lowNs / n / 1e6,
      day_us_per_call: dayNs / calls / 1e3,
      per_replication_share: lowNs / dayNs,
    })}\n`,
  );
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

async function alloc(): Promise<void> {
  const spec = load([]);
  for (let r = 0; r < 15; r++) runOne(spec, r);
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (e, res) => (e ? reject(e) : resolve(res))),
    );
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', {
    samplingInterval: 512,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  let calls = 0;
  for (let r = 15; r < 15 + n; r++) calls += runOne(spec, r).result.counters.calls_offered ?? 0;
  const { profile } = (await post('HeapProfiler.stopSampling')) as {
    profile: { head: SamplingNode };
  };
  session.disconnect();
  const where = (f: SamplingNode['callFrame']) =>
    `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1}`;
  const bytes = new Map<string, number>();
  let total = 0;
  const walk = (node: SamplingNode, caller: string): void => {
    const here = where(node.callFrame);
    if (node.selfSize > 0) {
      const key = `${here} < ${caller}`;
      bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    for (const c of node.children) walk(c, here);
  };
  walk(profile.head, '');
  const rows = [...bytes].sort((a, b) => b[1] - a[1]).slice(0, 25);
  for (const [k, v] of rows)
    process.stdout.write(`${(v / n / 1024).toFixed(0).padStart(8)} KB a replication  ${k}\n`);
  process.stdout.write(
    `${JSON.stringify({ bench: 'anatomy-alloc', replications: n, calls, bytes_per_replication: total / n, bytes_per_call: total / calls })}\n`,
  );
}

if (what === 'events') events();
else if (what === 'fixed') fixed();
else await alloc();
