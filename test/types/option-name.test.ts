// OptionName (src/models/options.ts): the registry's names as a union, so `opts.ms('…')` with a
// typo fails at compile time. Compiles option-name.check.ts with the project's compiler options:
// its @ts-expect-error lines must each meet an error (an unused one is itself an error).
// Budget: one small program (~2 s).
import { describe, expect, test } from 'vitest';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';

describe('OptionName', () => {
  test('an unknown option name fails to compile; the known ones compile', () => {
    const file = fileURLToPath(new URL('./option-name.check.ts', import.meta.url));
    const config = ts.readConfigFile(
      fileURLToPath(new URL('../../tsconfig.json', import.meta.url)),
      (p) => ts.sys.readFile(p),
    );
    const { options } = ts.parseJsonConfigFileContent(
      config.config,
      ts.sys,
      fileURLToPath(new URL('../..', import.meta.url)),
    );
    const program = ts.createProgram([file], { ...options, noEmit: true });
    const messages = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(messages).toEqual([]);
  });
});
