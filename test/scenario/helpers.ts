// Shared helpers for the scenario-layer tests: temp files and InputError capture.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/scenario/errors.js';

export const FIXTURES = 'test/fixtures';
export const TOPO_SMALL = `${FIXTURES}/topo-small.yaml`;
export const SCENARIO_SMALL = `${FIXTURES}/scenario-small.yaml`;

/** Runs fn and returns the InputError it throws; fails the test if it throws nothing or another error. */
export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError, but the input was accepted');
}

/** Writes files into a fresh temp directory, runs fn(dir), removes the directory. */
export function withFiles<T>(files: Record<string, string>, fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ccsim-scenario-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** topo-small.yaml with textual replacements (each must match). */
export function topoSmallWith(...edits: [string, string][]): string {
  let text = readFileSync(TOPO_SMALL, 'utf8');
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`topo-small.yaml has no ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  return text;
}

/** A scenario on ./topo.yaml with the given extra lines. */
export function scenarioText(body: string, duration = '2h'): string {
  return `topology: topo.yaml\nduration: ${duration}\n${body}`;
}
