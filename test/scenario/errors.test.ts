import { describe, expect, it } from 'vitest';
import {
  InputError,
  IssueSink,
  didYouMean,
  editDistance,
  formatIssue,
  formatPath,
  oneOf,
} from '../../src/scenario/errors.js';

describe('formatIssue', () => {
  it('names file, path, expected, found and hint', () => {
    expect(
      formatIssue({
        file: 'dr.yaml',
        path: 'faults[2].target',
        message: 'unknown app "ts-a-3"',
        expected: 'one of: ts-a-1, ts-a-2',
        found: '"ts-a-3"',
        hint: 'did you mean "ts-a-2"?',
      }),
    ).toBe(
      'dr.yaml: faults[2].target: unknown app "ts-a-3" (expected one of: ts-a-1, ts-a-2; found "ts-a-3"); did you mean "ts-a-2"?',
    );
  });

  it('puts line and column after the file and omits an empty path', () => {
    expect(
      formatIssue({
        file: 'a.yaml',
        path: '',
        message: 'YAML syntax error: x',
        line: 3,
        column: 7,
      }),
    ).toBe('a.yaml:3:7: YAML syntax error: x');
  });

  it('InputError lists every issue, one per line', () => {
    const e = new InputError([
      { file: 'a.yaml', path: 'x', message: 'one' },
      { file: 'b.yaml', path: 'y[1]', message: 'two' },
    ]);
    expect(e.message).toBe('a.yaml: x: one\nb.yaml: y[1]: two');
    expect(e.name).toBe('InputError');
    expect(e.issues).toHaveLength(2);
  });
});

describe('paths and lists', () => {
  it('formats paths with dots and brackets', () => {
    expect(formatPath(['agents', 2, 'options', 'disaster-recovery.timeout'])).toBe(
      'agents[2].options.disaster-recovery.timeout',
    );
    expect(formatPath([])).toBe('');
  });

  it('sorts and elides long candidate lists', () => {
    expect(oneOf(['b', 'a'])).toBe('one of: a, b');
    const many = Array.from({ length: 20 }, (_, i) => `x${String(i).padStart(2, '0')}`);
    expect(oneOf(many)).toMatch(/x11, … \(8 more\)$/);
  });

  it('IssueSink.unknown adds the candidates and a hint', () => {
    const sink = new IssueSink('t.yaml');
    sink.unknown(['apps', 'x', 'host'], 'host', 'a-sip-9', ['a-sip-1', 'b-mgmt']);
    expect(formatIssue(sink.issues[0]!)).toBe(
      't.yaml: apps.x.host: unknown host "a-sip-9" (expected one of: a-sip-1, b-mgmt; found "a-sip-9"); did you mean "a-sip-1"?',
    );
  });
});

describe('didYouMean', () => {
  it.each([
    ['hots', ['host', 'type', 'source', 'idb'], 'host'],
    ['falts', ['faults', 'failures', 'expect'], 'faults'],
    ['adpp-timeout', ['addp-timeout', 'addp-remote-timeout'], 'addp-timeout'],
    ['licences', ['licenses', 'sites'], 'licenses'],
    ['host-crahs', ['host-crash', 'host-restore'], 'host-crash'],
    ['a', ['A', 'B'], 'A'],
    ['timeout', ['disaster-recovery.timeout', 'addp-timeout'], 'disaster-recovery.timeout'],
  ])('%s → %s', (word, candidates, want) => {
    expect(didYouMean(word, candidates)).toBe(want);
  });

  it.each([
    ['C', ['A', 'B']],
    ['zzzz', ['host', 'type']],
    ['host', ['host', 'hosts']],
    ['banana', []],
  ])('%s has no suggestion', (word, candidates) => {
    expect(didYouMean(word, candidates)).toBeUndefined();
  });

  it('breaks ties by sorted order, whatever the input order', () => {
    expect(didYouMean('ts-a-3', ['ts-a-2', 'ts-a-1'])).toBe('ts-a-1');
    expect(didYouMean('ts-a-3', ['ts-a-1', 'ts-a-2'])).toBe('ts-a-1');
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('hots', 'host')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
