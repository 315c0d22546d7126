// Compiles one `*.check.ts` file of this folder with the project's compiler options and returns
// its diagnostics: the check files hold @ts-expect-error lines that must each meet an error (an
// unused one is itself an error), so an empty list means every refused line was refused.
import ts from 'typescript';
import { fileURLToPath } from 'node:url';

export function compileCheck(name: string): string[] {
  const file = fileURLToPath(new URL(`./${name}`, import.meta.url));
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
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
