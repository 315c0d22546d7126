// Reads one YAML input file safely: plain core-schema YAML only (no custom tags, no merge keys),
// unique keys, bounded alias expansion and file size. Problems become InputIssues with positions.

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { describeValue, type IssueSink } from './errors.js';
import { FILE_BYTES_MAX } from './limits.js';
import { parseYamlText, type YamlFile } from './yaml-text.js';

export { parseYamlText, type YamlFile };

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Why a path cannot be read as an input file, or undefined when it can be tried. */
export function fileProblem(
  file: string,
): { message: string; expected?: string; found?: string } | undefined {
  try {
    const st = statSync(file);
    if (st.isDirectory()) return { message: 'is a directory', expected: 'a YAML file' };
    if (!st.isFile()) return { message: 'not a regular file', expected: 'a YAML file' };
    if (st.size > FILE_BYTES_MAX) {
      return {
        message: 'file too large',
        expected: `at most ${FILE_BYTES_MAX} bytes`,
        found: `${st.size} bytes`,
      };
    }
    return undefined;
  } catch (e) {
    return { message: fsMessage(e, 'cannot read file') };
  }
}

function readBytes(file: string, sink: IssueSink): Buffer | undefined {
  const problem = fileProblem(file);
  if (problem !== undefined) {
    const { message, ...extra } = problem;
    sink.add([], message, extra);
    return undefined;
  }
  try {
    return readFileSync(file);
  } catch (e) {
    sink.add([], fsMessage(e, 'cannot read file'));
    return undefined;
  }
}

function fsMessage(e: unknown, fallback: string): string {
  const code = (e as { code?: unknown }).code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: cannot read file';
    case 'EISDIR':
      return 'is a directory, not a YAML file';
    case 'ENOTDIR':
      return 'file not found (a parent is not a directory)';
    default:
      return `${fallback}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Reads and parses a YAML file whose top level must be a map. */
export function readYamlFile(file: string, sink: IssueSink): YamlFile | undefined {
  const bytes = readBytes(file, sink);
  if (bytes === undefined) return undefined;
  const digest = sha256Hex(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    sink.add([], 'not UTF-8 text', { expected: 'a UTF-8 YAML file' });
    return undefined;
  }
  const parsed = parseYamlText(text, sink);
  if (!parsed.ok) return undefined;
  const raw = parsed.value;
  if (raw === null || raw === undefined) {
    sink.add([], 'file is empty', { expected: 'a YAML map' });
    return undefined;
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    sink.add([], 'the top level must be a map of keys', {
      expected: 'a YAML map',
      found: describeValue(raw),
    });
    return undefined;
  }
  return { file, digest, raw: raw as Record<string, unknown> };
}
