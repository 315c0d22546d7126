// The work of `ccsim run` and `ccsim check`: which replications of which scenarios run (one
// replication with --replication, a slice with --shard), and the run.json every report carries.
// Work items are numbered across the scenarios in the order given, then by replication; item k
// belongs to shard (k mod N) + 1.

import { createHash } from 'node:crypto';
import type { ScenarioSpec } from '../spec/types.js';
import {
  SHARD_FORMAT,
  encodeRow,
  shardJson,
  type ShardIdentity,
  type ShardItem,
} from '../report/shard.js';
import type { SummaryRow } from '../report/summary.js';
import { inShard, type ShardSpec } from './args.js';
import { VERSION } from './version.js';

export interface ScenarioPlan {
  spec: ScenarioSpec;
  /** Every item of this scenario in the unsharded run, in replication order. */
  items: ShardItem[];
  /** The items this process runs (all of them without --shard). */
  mine: ShardItem[];
}

export function planRuns(
  specs: readonly ScenarioSpec[],
  opts: { replication?: number; shard?: ShardSpec },
): ScenarioPlan[] {
  let k = 0;
  return specs.map((spec) => {
    const reps =
      opts.replication !== undefined
        ? [opts.replication]
        : Array.from({ length: spec.replications }, (_, r) => r);
    const items = reps.map((replication) => ({ item: k++, point: 0, replication }));
    return { spec, items, mine: items.filter((it) => inShard(it.item, opts.shard)) };
  });
}

export function scenarioIdentity(
  spec: ScenarioSpec,
): Pick<ShardIdentity, 'scenario' | 'topology' | 'seed'> {
  return {
    scenario: { name: spec.name, file: spec.file, digest: spec.digest },
    topology: { name: spec.topology.name, file: spec.topology.file, digest: spec.topology.digest },
    seed: spec.seed,
  };
}

/**
 * shard.json of a shard of `run` or `sweep` on `spec`: the run's identity (`sets` and `items` as
 * the command has them, a sweep's grid) and each item this shard ran with its summary row.
 */
export function shardManifestText(
  shard: ShardSpec,
  spec: ScenarioSpec,
  identity: Pick<ShardIdentity, 'command' | 'sets' | 'items' | 'grid'>,
  done: readonly { item: number; row: SummaryRow }[],
): string {
  return shardJson({
    format: SHARD_FORMAT,
    index: shard.index,
    identity: {
      version: VERSION,
      command: identity.command,
      ...scenarioIdentity(spec),
      sets: identity.sets,
      items: identity.items,
      ...(identity.grid !== undefined ? { grid: identity.grid } : {}),
      count: shard.count,
    },
    done: done.map((d) => ({ item: d.item, row: encodeRow(d.row) })),
  });
}

export interface RunTiming {
  /** Elapsed wall time of the command's simulation phase (every scenario, every worker). */
  wallS: number;
  /** Sum of this report's replications' own wall times (per-thread throughput). */
  replicationWallS: number;
  events: number;
  simS: number;
}

/**
 * sha256 of what happens to the center, whatever the design: the run's length and warm-up, the
 * traffic, the scripted faults and the random failures. Two scenarios with the same workload
 * differ only in options, routing or topology (compare: their differences are the design's).
 */
export function workloadDigest(spec: ScenarioSpec): string {
  const { durationMs, warmupMs, traffic, faults, failures } = spec;
  return createHash('sha256')
    .update(JSON.stringify({ durationMs, warmupMs, traffic, faults, failures }))
    .digest('hex');
}

/** run.json (SPEC §3): version, command line, digests, seed, wall time, events per second. */
export function runJson(
  spec: ScenarioSpec,
  argv: readonly string[],
  timing: RunTiming,
  extra: Record<string, unknown>,
): string {
  const { replicationWallS: rw } = timing;
  return `${JSON.stringify(
    {
      version: VERSION,
      command: ['ccsim', ...argv],
      ...scenarioIdentity(spec),
      workload_digest: workloadDigest(spec),
      replications: spec.replications,
      sets: spec.sets,
      ...extra,
      wall_s: timing.wallS,
      replication_wall_s: rw,
      events: timing.events,
      events_per_s: rw > 0 ? timing.events / rw : null,
      sim_s_per_wall_s: rw > 0 ? timing.simS / rw : null,
      node: process.version,
    },
    null,
    2,
  )}\n`;
}
