// OptionName (src/models/options.ts): the registry's names as a union, so `opts.ms('…')` with a
// typo fails at compile time. Compiles option-name.check.ts with the project's compiler options:
// its @ts-expect-error lines must each meet an error (an unused one is itself an error).
// Budget: one small program (~2 s).
import { describe, expect, test } from 'vitest';
import { compileCheck } from './compile-check.js';

describe('OptionName', () => {
  test('an unknown option name fails to compile; the known ones compile', () => {
    expect(compileCheck('option-name.check.ts')).toEqual([]);
  });
});
