// Branded ids (src/spec/ids.ts): a site id (and, in turn, host and app ids) is a string the
// compiler keeps apart from other strings and other ids. Compiles ids.check.ts with the
// project's compiler options: its @ts-expect-error lines must each meet an error (an unused one
// is itself an error). Budget: one small program (~2 s).
import { describe, expect, test } from 'vitest';
import { compileCheck } from './compile-check.js';

describe('branded ids', () => {
  test('an id of one kind is refused where another is expected; a plain string too', () => {
    expect(compileCheck('ids.check.ts')).toEqual([]);
  });
});
