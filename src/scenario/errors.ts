// Input problems as users see them: file, path inside it, what was expected and found, a hint.
// Every check collects issues; the loader throws one InputError carrying all of them.

import { compareStrings } from '../sim/order.js';
import { ISSUES_MAX } from './limits.js';

/** Issues in an InputError's message (the CLI prints its own list). */
const ISSUES_MESSAGE_MAX = 20;

export interface InputIssue {
  /** The file as the user named it, or "--set" for a command-line override. */
  file: string;
  /** Path inside the file: `apps.sip-a-1.host`, `faults[1].target`; "" for the whole file. */
  path: string;
  message: string;
  expected?: string;
  found?: string;
  hint?: string;
  /** 1-based position, for YAML syntax problems. */
  line?: number;
  column?: number;
}

export class InputError extends Error {
  override name = 'InputError';

  constructor(readonly issues: InputIssue[]) {
    super(
      issues.slice(0, ISSUES_MESSAGE_MAX).map(formatIssue).join('\n') +
        (issues.length > ISSUES_MESSAGE_MAX
          ? `\n… and ${issues.length - ISSUES_MESSAGE_MAX} more`
          : ''),
    );
  }
}

/**
 * Text safe to print on a terminal: control characters (C0, DEL, C1: ESC, BEL, CR, …) and the
 * Unicode line separators and bidirectional overrides, which input may carry into a message,
 * are written as escapes (`\x1b`, `\u202e`) instead of acting on the terminal.
 */
export function printable(text: string, opts: { keepNewlines?: boolean } = {}): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => {
      const n = c.charCodeAt(0);
      if (n === 10 && opts.keepNewlines === true) return c;
      return n <= 0xff
        ? `\\x${n.toString(16).padStart(2, '0')}`
        : `\\u${n.toString(16).padStart(4, '0')}`;
    },
  );
}

/** `dr.yaml: faults[2].target: unknown app "ts-a-3" (expected one of: …; found "ts-a-3"); did you mean "ts-a-2"?` */
export function formatIssue(i: InputIssue): string {
  return printable(formatIssueRaw(i));
}

function formatIssueRaw(i: InputIssue): string {
  let s = i.file;
  if (i.line !== undefined) s += `:${i.line}${i.column !== undefined ? `:${i.column}` : ''}`;
  s += ': ';
  if (i.path !== '') s += `${i.path}: `;
  s += i.message;
  const paren: string[] = [];
  if (i.expected !== undefined) paren.push(`expected ${i.expected}`);
  if (i.found !== undefined) paren.push(`found ${i.found}`);
  if (paren.length > 0) s += ` (${paren.join('; ')})`;
  if (i.hint !== undefined) s += `; ${i.hint}`;
  return s;
}

export type PathSegment = string | number;

/** `['faults', 2, 'target']` → `faults[2].target`. */
export function formatPath(path: readonly PathSegment[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s === '' ? seg : `.${seg}`;
  }
  return s;
}

/** Longest text of a found value echoed back in a message. */
export const FOUND_CHARS_MAX = 60;
/** Most candidates listed in an "expected one of" before eliding the rest. */
export const EXPECTED_LIST_MAX = 12;

/** A value as echoed back to the user: strings quoted, collections named. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') {
    const t = v.length > FOUND_CHARS_MAX ? `${v.slice(0, FOUND_CHARS_MAX)}…` : v;
    return JSON.stringify(t);
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'a map';
  return typeof v;
}

/** `one of: a, b, c` (sorted, elided past EXPECTED_LIST_MAX). */
export function oneOf(candidates: Iterable<string>): string {
  const all = [...new Set(candidates)].sort(compareStrings);
  if (all.length === 0) return 'one of: (none defined)';
  if (all.length <= EXPECTED_LIST_MAX) return `one of: ${all.join(', ')}`;
  return `one of: ${all.slice(0, EXPECTED_LIST_MAX).join(', ')}, … (${all.length - EXPECTED_LIST_MAX} more)`;
}

export { compareStrings };

/** "a host", "an icon app". */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows: i-2, i-1, i.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2]! + 1);
      }
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/**
 * The closest candidate to a mistyped word, or undefined when none is close enough.
 * Close: at most about a third of the word's letters edited (at least 1, never the whole
 * word), compared case-insensitively; or a candidate ending in `.word` (an option typed
 * without its prefix). Ties go to the first candidate in sorted order.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...new Set(candidates)].sort(compareStrings);
  if (list.includes(word)) return undefined;
  const w = word.toLowerCase();
  const threshold = Math.max(1, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of list) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best !== undefined && bestD <= threshold && bestD < w.length) return best;
  return list.find((c) => w.length >= 3 && c.toLowerCase().endsWith(`.${w}`));
}

/** `did you mean "x"?` for a hint, or undefined. */
export function didYouMeanHint(word: string, candidates: Iterable<string>): string | undefined {
  const m = didYouMean(word, candidates);
  return m === undefined ? undefined : `did you mean "${m}"?`;
}

/** Collects issues for one file; paths are given as segments and formatted once. */
export class IssueSink {
  constructor(
    readonly file: string,
    readonly issues: InputIssue[] = [],
    /** Shared by the sinks of one load: issues beyond ISSUES_MAX are only counted. */
    private readonly dropped: { count: number } = { count: 0 },
  ) {}

  /** Whether more issues would only be counted (callers may skip costly hints). */
  get full(): boolean {
    return this.issues.length >= ISSUES_MAX;
  }

  /** Issues not kept because ISSUES_MAX were already collected. */
  get overflow(): number {
    return this.dropped.count;
  }

  add(
    path: readonly PathSegment[],
    message: string,
    extra: { expected?: string; found?: string; hint?: string } = {},
  ): void {
    if (this.full) {
      this.dropped.count++;
      return;
    }
    const issue: InputIssue = { file: this.file, path: formatPath(path), message };
    if (extra.expected !== undefined) issue.expected = extra.expected;
    if (extra.found !== undefined) issue.found = extra.found;
    if (extra.hint !== undefined) issue.hint = extra.hint;
    this.issues.push(issue);
  }

  /** An "unknown X" issue with the known ids and a did-you-mean hint. */
  unknown(
    path: readonly PathSegment[],
    what: string,
    value: string,
    known: Iterable<string>,
  ): void {
    if (this.full) {
      this.dropped.count++;
      return;
    }
    const list = [...known];
    const extra: { expected: string; found: string; hint?: string } = {
      expected: oneOf(list),
      found: describeValue(value),
    };
    const hint = didYouMeanHint(value, list);
    if (hint !== undefined) extra.hint = hint;
    this.add(path, `unknown ${what} ${describeValue(value)}`, extra);
  }

  /** The same sink for another file (a scenario's topology), sharing the issue list. */
  forFile(file: string): IssueSink {
    return new IssueSink(file, this.issues, this.dropped);
  }

  get count(): number {
    return this.issues.length;
  }
}
