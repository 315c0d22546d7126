// Engine benchmarks: hold (bare event throughput), mmc (an M/M/c call centre checked against
// Erlang C) and heap (a bare typed-array heap, the floor for the engine), run side by side with
// the SimPy peers in /work/shared/bench when /usr/bin/python3 imports simpy.
// usage: npm run bench [-- --json] [-- --only hold,mmc] [-- --reps 3]
// Each measurement runs in a fresh node process (its own JIT warm-up and peak RSS).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOLD_DEFAULTS, runHold, runRawHeap } from './hold.js';
import { MMC_DEFAULTS, runMmc } from './mmc.js';

const BENCHES = ['hold', 'mmc', 'heap'] as const;
type BenchName = (typeof BENCHES)[number];

/** Fresh-process repetitions per benchmark; the run with the median wall time is reported. */
const REPS_DEFAULT = 3;
/** The interpreter that imports SimPy (Debian's python3-simpy3). */
const PYTHON = '/usr/bin/python3';
/** Targets from the brief: engine hold vs SimPy, mmc vs SimPy, engine hold vs the raw heap. */
const HOLD_VS_SIMPY_MIN = 15;
const MMC_VS_SIMPY_MIN = 40;
const HOLD_VS_HEAP_MIN = 0.5;

type Row = Record<string, string | number | boolean>;

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..'); // dist/bench/run.js → repo root
const simpyDir = path.resolve(repoRoot, '../shared/bench');

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}

function wallS(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** One measurement, in this process (called in a child). */
function measure(name: BenchName): Row {
  switch (name) {
    case 'hold':
    case 'heap': {
      let r = { events: 0, simS: 0 };
      const wall = wallS(() => {
        r = name === 'hold' ? runHold(HOLD_DEFAULTS) : runRawHeap(HOLD_DEFAULTS);
      });
      return {
        bench: name,
        impl: 'ccsim',
        nproc: HOLD_DEFAULTS.nproc,
        until: HOLD_DEFAULTS.until,
        events: r.events,
        sim_s: r.simS,
        sim_wall_s: wall,
        ev_per_s: r.events / wall,
        sim_s_per_wall_s: r.simS / wall,
        ev_per_sim_s: r.events / r.simS,
        peak_rss_mb: peakRssMb(),
      };
    }
    case 'mmc': {
      let r: ReturnType<typeof runMmc> | undefined;
      const wall = wallS(() => {
        r = runMmc(MMC_DEFAULTS);
      });
      const m = r!;
      return {
        bench: 'mmc',
        impl: 'ccsim',
        calls: m.calls,
        c: MMC_DEFAULTS.agents,
        aht: MMC_DEFAULTS.ahtS,
        rho: MMC_DEFAULTS.rho,
        events: m.events,
        sim_s: m.simS,
        sim_wall_s: wall,
        calls_per_s: m.calls / wall,
        ev_per_s: m.events / wall,
        sim_s_per_wall_s: m.simS / wall,
        ev_per_sim_s: m.events / m.simS,
        wq: m.wqS,
        wq_ci95: m.wqCi95S,
        wq_erlangc: m.wqErlangCS,
        pwait: m.pwait,
        pwait_erlangc: m.pwaitErlangC,
        peak_rss_mb: peakRssMb(),
      };
    }
  }
}

function parseJsonLine(out: string, what: string): Row {
  const line = out.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Row;
  } catch {
    throw new Error(`${what}: expected one JSON line, got: ${out.slice(0, 500)}`);
  }
}

/** Runs `cmd args` `reps` times in fresh processes; returns the run with the median wall time. */
function medianOf(reps: number, cmd: string, args: string[], what: string, cwd?: string): Row {
  const rows: Row[] = [];
  for (let i = 0; i < reps; i++) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', cwd, maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${r.stderr}`);
    rows.push(parseJsonLine(r.stdout, what));
  }
  rows.sort((a, b) => Number(a.sim_wall_s) - Number(b.sim_wall_s));
  const mid = rows[(rows.length - 1) >> 1]!;
  return { ...mid, reps, sim_wall_s_min: Number(rows[0]!.sim_wall_s) };
}

function simpyAvailable(): boolean {
  if (!existsSync(path.join(simpyDir, 'simpy_hold.py'))) return false;
  return spawnSync(PYTHON, ['-c', 'import simpy'], { stdio: 'ignore' }).status === 0;
}

/** The SimPy peer of a benchmark, with the engine's parameters, plus the rates ccsim reports. */
function runSimpy(name: 'hold' | 'mmc', reps: number): Row {
  const h = HOLD_DEFAULTS;
  const m = MMC_DEFAULTS;
  const args =
    name === 'hold'
      ? ['simpy_hold.py', String(h.nproc), String(h.until), String(h.seed)]
      : ['simpy_mmc.py', String(m.calls), String(m.agents), String(m.ahtS), String(m.rho), String(m.seed)];
  const row = medianOf(reps, PYTHON, args, `simpy ${name}`, simpyDir);
  const wall = Number(row.sim_wall_s);
  const simS = name === 'hold' ? h.until : Number(row.sim_time);
  return {
    ...row,
    bench: `simpy_${name}`,
    impl: 'simpy',
    sim_s: simS,
    sim_s_per_wall_s: simS / wall,
    ev_per_sim_s: Number(row.events) / simS,
  };
}

function parseArgs(argv: string[]): { json: boolean; only: BenchName[]; reps: number; child?: BenchName } {
  let json = false;
  let only: BenchName[] = [...BENCHES];
  let reps = REPS_DEFAULT;
  let child: BenchName | undefined;
  const asBench = (s: string): BenchName => {
    if (!(BENCHES as readonly string[]).includes(s)) {
      throw new Error(`unknown benchmark "${s}" (known: ${BENCHES.join(', ')})`);
    }
    return s as BenchName;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') json = true;
    else if (a === '--only') only = value().split(',').filter(Boolean).map(asBench);
    else if (a === '--reps') {
      reps = Number(value());
      if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a whole number >= 1`);
    } else if (a === '--child') child = asBench(value());
    else throw new Error(`unknown flag ${a} (known: --json, --only a,b, --reps n)`);
  }
  return { json, only, reps, ...(child ? { child } : {}) };
}

const fmt = (x: unknown, digits = 0): string =>
  typeof x === 'number' ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-';

function printTable(rows: Row[], ratios: Row | undefined): void {
  const head = ['bench', 'impl', 'events', 'wall s', 'events/s', 'calls/s', 'sim s/wall s', 'events/sim s', 'peak MB'];
  const body = rows.map((r) => [
    String(r.bench),
    String(r.impl),
    fmt(r.events),
    fmt(r.sim_wall_s, 3),
    fmt(r.ev_per_s),
    fmt(r.calls_per_s),
    fmt(r.sim_s_per_wall_s),
    fmt(r.ev_per_sim_s, 1),
    fmt(r.peak_rss_mb, 1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const b of body) console.log(line(b));
  for (const r of rows) {
    if (r.wq_erlangc === undefined) continue;
    console.log(
      `${r.bench} (${r.impl}): Wq ${fmt(r.wq, 3)} s ± ${fmt(r.wq_ci95, 3)} (Erlang C ${fmt(r.wq_erlangc, 3)} s), ` +
        `P(wait) ${fmt(r.pwait, 4)} (Erlang C ${fmt(r.pwait_erlangc, 4)})`,
    );
  }
  if (ratios) {
    console.log('ratios:');
    for (const [k, v] of Object.entries(ratios)) if (k !== 'bench') console.log(`  ${k}: ${typeof v === 'number' ? fmt(v, 2) : v}`);
  }
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    console.log(JSON.stringify(measure(args.child)));
    return;
  }
  const self = fileURLToPath(import.meta.url);
  const rows: Row[] = [];
  const byName = new Map<string, Row>();
  const emit = (r: Row): void => {
    rows.push(r);
    byName.set(String(r.bench), r);
    if (args.json) console.log(JSON.stringify(r));
  };
  for (const name of args.only) {
    emit(medianOf(args.reps, process.execPath, [self, '--child', name], name));
  }
  const simpy = simpyAvailable();
  if (simpy) {
    for (const name of ['hold', 'mmc'] as const) if (args.only.includes(name)) emit(runSimpy(name, args.reps));
  }
  const rate = (bench: string, field: string): number | undefined => {
    const v = byName.get(bench)?.[field];
    return typeof v === 'number' ? v : undefined;
  };
  const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
    a !== undefined && b !== undefined ? a / b : undefined;
  const holdVsSimpy = ratio(rate('hold', 'ev_per_s'), rate('simpy_hold', 'ev_per_s'));
  const mmcVsSimpy = ratio(rate('mmc', 'calls_per_s'), rate('simpy_mmc', 'calls_per_s'));
  const holdVsHeap = ratio(rate('hold', 'ev_per_s'), rate('heap', 'ev_per_s'));
  const ratios: Row = { bench: 'ratios' };
  if (!simpy) ratios.note = `SimPy not run: needs ${simpyDir}/simpy_*.py and ${PYTHON} importing simpy`;
  if (holdVsSimpy !== undefined) {
    ratios.hold_vs_simpy_ev_per_s = holdVsSimpy;
    ratios.hold_vs_simpy_target = HOLD_VS_SIMPY_MIN;
    ratios.hold_vs_simpy_met = holdVsSimpy >= HOLD_VS_SIMPY_MIN;
  }
  if (mmcVsSimpy !== undefined) {
    ratios.mmc_vs_simpy_calls_per_s = mmcVsSimpy;
    ratios.mmc_vs_simpy_target = MMC_VS_SIMPY_MIN;
    ratios.mmc_vs_simpy_met = mmcVsSimpy >= MMC_VS_SIMPY_MIN;
  }
  if (holdVsHeap !== undefined) {
    ratios.hold_vs_heap_ev_per_s = holdVsHeap;
    ratios.hold_vs_heap_target = HOLD_VS_HEAP_MIN;
    ratios.hold_vs_heap_met = holdVsHeap >= HOLD_VS_HEAP_MIN;
  }
  if (args.json) console.log(JSON.stringify(ratios));
  else printTable(rows, Object.keys(ratios).length > 1 ? ratios : undefined);
}

try {
  main();
} catch (e) {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
