// Parses YAML text safely: plain core-schema YAML only (no custom tags, no merge keys), unique
// keys, bounded alias expansion. No file access, so the report page's what-if parses --set values
// with it too. Problems become InputIssues with positions.

import YAML from 'yaml';
import { describeValue, type InputIssue, type IssueSink } from './errors.js';
import { YAML_ALIASES_MAX } from './limits.js';

export interface YamlFile {
  /** The path as given. */
  file: string;
  /** SHA-256 of the file bytes, hex. */
  digest: string;
  /** The parsed document (a map at the top level). */
  raw: Record<string, unknown>;
}

/** Reports every repeated scalar key of every map (in document order); returns how many. */
function duplicateKeys(doc: YAML.Document, lineCounter: YAML.LineCounter, sink: IssueSink): number {
  let count = 0;
  YAML.visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!YAML.isScalar(pair.key)) continue;
        // Map keys become strings in the loaded document, so `1` and "1" collide there too.
        const key = String(pair.key.value);
        if (!seen.has(key)) {
          seen.add(key);
          continue;
        }
        count++;
        const issue: InputIssue = {
          file: sink.file,
          path: '',
          message: `duplicate key ${describeValue(key)}`,
        };
        const start = pair.key.range?.[0];
        if (start !== undefined) {
          const pos = lineCounter.linePos(start);
          issue.line = pos.line;
          issue.column = pos.col;
        }
        sink.issues.push(issue);
      }
    },
  });
  return count;
}

/** Parses YAML text into a plain value; issues go to the sink. */
export function parseYamlText(
  text: string,
  sink: IssueSink,
): { ok: true; value: unknown } | { ok: false } {
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, {
    schema: 'core',
    customTags: [],
    merge: false,
    // Duplicate keys are found below in one pass; the library's own check is quadratic per map.
    uniqueKeys: false,
    strict: true,
    prettyErrors: true,
    lineCounter,
  });
  const problems = [...doc.errors, ...doc.warnings];
  for (const e of problems) {
    const pos = e.linePos?.[0];
    const firstLine = (e.message.split('\n')[0] ?? e.message).replace(
      / at line \d+, column \d+:?$/,
      '',
    );
    let message: string;
    // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- yaml's open vocabulary: the default case words the rest
    switch (e.code) {
      case 'TAG_RESOLVE_FAILED': {
        const tag = /Unresolved tag: (\S+)/.exec(firstLine)?.[1] ?? '';
        const shown = tag.replace(/^tag:yaml\.org,2002:/, '!!');
        message = `YAML tag ${shown} is not allowed (plain YAML only: maps, lists, strings, numbers, booleans)`;
        break;
      }
      default:
        message = `YAML syntax error: ${firstLine}`;
    }
    const issue = {
      file: sink.file,
      path: '',
      message,
      ...(pos !== undefined ? { line: pos.line, column: pos.col } : {}),
    };
    sink.issues.push(issue);
  }
  const duplicates = duplicateKeys(doc, lineCounter, sink);
  if (problems.length > 0 || duplicates > 0) return { ok: false };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: YAML_ALIASES_MAX }) as unknown };
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) {
      sink.add([], 'too many YAML alias expansions (an alias bomb?)', {
        expected: `at most ${YAML_ALIASES_MAX} alias expansions`,
      });
    } else {
      sink.add([], `YAML error: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { ok: false };
  }
}
