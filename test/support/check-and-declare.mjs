// One TypeScript program for two jobs of the end-to-end tests (test/support/types.ts starts it):
// `npm run typecheck` (tsc -p tsconfig.json over src, test, examples and bench) and the package's
// declarations (tsc -p tsconfig.build.json: src/ only, to dist/). Two tsc runs read, bind and
// check src/ twice, 26 and 17 CPU s from cold; this program does it once, and writes the
// declarations of src/'s files alone, with tsconfig.build.json's emit options.
//
// Usage: node check-and-declare.mjs <result.json> [<declared.json>]. With a second path, it
// writes the declarations first, then { code, output } of their emit there (what package.e2e
// waits for before packing); without, it writes none (they are up to date). Then { code, output }
// of the whole check goes to <result.json> (code 0 and no output when tsc would report no
// error). Each is written whole or not at all.
//
// tsc's own incremental mode (its .tsbuildinfo in node_modules/.cache, as `npm run typecheck`
// keeps one): a file is checked again when its text or that of a file it imports changed, and
// the diagnostics recorded for the others are reported, as tsc --incremental does.
import { renameSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src') + sep;
const BUILD_INFO = join(ROOT, 'node_modules', '.cache', 'shared-ndarray', 'check-and-declare.tsbuildinfo');
const [result, declared] = process.argv.slice(2);

function parse(file) {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } };
  return ts.getParsedCommandLineOfConfigFile(join(ROOT, file), {}, host);
}

function write(path, diagnostics) {
  const output = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' });
  writeFileSync(`${path}.tmp`, JSON.stringify({ code: diagnostics.length === 0 ? 0 : 2, output }));
  renameSync(`${path}.tmp`, path);
}

const check = parse('tsconfig.json');
const build = parse('tsconfig.build.json');
const emit = ['declaration', 'declarationMap', 'emitDeclarationOnly', 'stripInternal', 'rootDir', 'outDir'];
const options = { ...check.options, noEmit: false, ...Object.fromEntries(emit.map((key) => [key, build.options[key]])), incremental: true, tsBuildInfoFile: BUILD_INFO };
const builder = ts.createIncrementalProgram({ rootNames: check.fileNames, options, configFileParsingDiagnostics: check.errors });
const program = builder.getProgram();

// The declarations, each src/ file's alone: their emit checks those files, which the check below
// then finds done. Declaration diagnostics are src/'s only, as tsc -p tsconfig.build.json gives.
const emitted = [];
if (declared) {
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || !ts.sys.resolvePath(file.fileName).startsWith(SRC)) continue;
    emitted.push(...program.emit(file, undefined, undefined, true).diagnostics);
  }
  write(declared, emitted);
}

const diagnostics = [
  ...builder.getConfigFileParsingDiagnostics(), ...builder.getOptionsDiagnostics(), ...builder.getSyntacticDiagnostics(),
  ...builder.getGlobalDiagnostics(), ...builder.getSemanticDiagnostics(),
// 6059: a file outside rootDir (src/), which only src/'s files, emitted one by one above, are not
].filter((d) => d.code !== 6059);
builder.emitBuildInfo();
write(result, [...ts.sortAndDeduplicateDiagnostics(diagnostics), ...emitted]);
