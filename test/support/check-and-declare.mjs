// One TypeScript program for two jobs of the end-to-end tests (test/support/types.ts starts it):
// `npm run typecheck` (tsc -p tsconfig.json over src, test, examples and bench) and the package's
// declarations (tsc -p tsconfig.build.json: src/ only, to dist/). Two tsc runs read, bind and
// check src/ twice, 26 and 17 CPU s from cold; this program does it once, then writes the
// declarations of src/'s files alone, with tsconfig.build.json's emit options.
//
// Usage: node check-and-declare.mjs <result.json>. Writes { code, output } there when done
// (code 0 and no output when tsc would report no error), written whole or not at all.
import { renameSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src') + sep;
const [result] = process.argv.slice(2);

function parse(file) {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } };
  return ts.getParsedCommandLineOfConfigFile(join(ROOT, file), {}, host);
}

const check = parse('tsconfig.json');
const build = parse('tsconfig.build.json');
const emit = ['declaration', 'declarationMap', 'emitDeclarationOnly', 'stripInternal', 'rootDir', 'outDir'];
const options = { ...check.options, noEmit: false, ...Object.fromEntries(emit.map((key) => [key, build.options[key]])) };
const program = ts.createProgram({ rootNames: check.fileNames, options, configFileParsingDiagnostics: check.errors });
// 6059: a file outside rootDir (src/), which only src/'s files, emitted one by one below, are not
const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.code !== 6059);
for (const file of program.getSourceFiles()) {
  if (file.isDeclarationFile || !ts.sys.resolvePath(file.fileName).startsWith(SRC)) continue;
  diagnostics.push(...program.emit(file, undefined, undefined, true).diagnostics);
}
const output = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' });
writeFileSync(`${result}.tmp`, JSON.stringify({ code: diagnostics.length === 0 ? 0 : 2, output }));
renameSync(`${result}.tmp`, result);
