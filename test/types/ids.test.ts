// Branded ids (src/spec/ids.ts): a site id (and, in turn, host and app ids) is a string the
// compiler keeps apart from other strings and other ids. Compiles ids.check.ts with the
// project's compiler options: its @ts-expect-error lines must each meet an error (an unused one
// is itself an error). Budget: one small program (~2 s).
import { describe, expect, test } from 'vitest';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';

describe('branded ids', () => {
  test('an id of one kind is refused where another is expected; a plain string too', () => {
    const file = fileURLToPath(new URL('./ids.check.ts', import.meta.url));
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
