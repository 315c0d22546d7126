// Flag parsers shared by the commands: each fails through commander's error path (exit 2) with
// the flag, what it expects and what it found.

import { CommanderError, Option } from 'commander';

/** Collects a repeatable flag's values in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function invalid(message: string): never {
  throw new CommanderError(2, 'ccsim.invalidArgument', message);
}

export function wholeNumber(name: string, min: number) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
      invalid(`${name} expects a whole number >= ${min}, found "${v}"`);
    }
    return Number(v);
  };
}

/** --workers of run, sweep and check. */
export function workersOption(what = 'replications'): Option {
  return new Option(
    '--workers <n>',
    `worker threads for ${what} (default 1: one worker thread, so that Ctrl-C is answered at once)`,
  ).argParser(wholeNumber('--workers', 1));
}

/** A non-negative decimal number (`--tolerance 5`, `--tolerance 2.5`). */
export function decimal(name: string) {
  return (v: string): number => {
    if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(v) || !Number.isFinite(Number(v))) {
      invalid(`${name} expects a number >= 0, found "${v}"`);
    }
    return Number(v);
  };
}

/** A share from 0 to 1 (`--permanent 0.5`). */
export function share(name: string) {
  return (v: string): number => {
    if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(v) || !(Number(v) <= 1)) {
      invalid(`${name} expects a share from 0 to 1, found "${v}"`);
    }
    return Number(v);
  };
}

/** `--shard I/N`: run the I-th of N slices, 1 <= I <= N (I is 1-based). */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Most shards a run may be cut into (a bound on a user-given number). */
export const SHARD_COUNT_MAX = 100_000;

export function shardArg(v: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(v);
  const what = `--shard expects I/N with 1 <= I <= N <= ${SHARD_COUNT_MAX} (I is 1-based: 1/4 … 4/4)`;
  if (m === null) invalid(`${what}, found "${v}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > SHARD_COUNT_MAX)
    invalid(`${what}, found "${v}": N must be 1 to ${SHARD_COUNT_MAX}`);
  if (index < 1 || index > count) invalid(`${what}, found "${v}": I must be 1 to ${count}`);
  return { index, count };
}

/** Whether work item `item` (0-based, in the run's deterministic order) belongs to a shard. */
export function inShard(item: number, shard: ShardSpec | undefined): boolean {
  return shard === undefined || item % shard.count === shard.index - 1;
}

/** A usage problem found after parsing (two flags that exclude each other): exit 2. */
export function usageError(message: string): never {
  invalid(message);
}
