/**
 * The architecture's dependency rule (see the layers below), checked by `npm run lint` with
 * dependency-cruiser. test/lint/dependency-rule.test.ts cruises a fixture tree that breaks each
 * rule once and fails if any rule stops reporting it.
 */
import { fileURLToPath } from 'node:url';

/**
 * src/ from the top down. A unit is a folder (`cli`) or a file (`register-kinds.ts`). A unit may
 * import units of lower layers only; units of one layer (siblings) do not import each other.
 */
export const LAYERS = [
  ['cli'],
  // cluster/ sends memmaps (io/) and runs tasks on a local Pool
  ['cluster'],
  ['sieve', 'io', 'ops', 'manager'],
  // redis/: what the Manager's store and the cluster share of Redis (URL checks)
  ['pool', 'process', 'redis'],
  ['worker-module', 'register-kinds.ts', 'deferred-kinds.ts'],
  ['sharedctypes'],
  // above sync: Synchronized wraps a Lock
  ['sync'],
  ['transport'],
  ['ndarray'],
  // the addon's loader: memory maps for io/, huge-page memory for ndarray/'s allocator
  ['native'],
  ['check.ts'],
  ['errors.ts'],
];

/** The package's entry points, above every layer: src/index.ts and src/worker.ts. */
const ENTRIES = '^src/(index|worker)\\.ts$';
/** The subpath entries (`shared-ndarray/sync`, ...): each may also import register-kinds.ts, so importing it alone registers the shared kinds. */
const SUBPATH_ENTRY = '^src/[^/]+/index\\.ts$';
const REGISTER_KINDS = '^src/register-kinds\\.ts$';

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isFile = (unit) => unit.endsWith('.ts');
const unitPath = (unit) => (isFile(unit) ? `^src/${escapeRe(unit)}$` : `^src/${escapeRe(unit)}/`);
const anyOf = (units) => units.map(unitPath).join('|');

function layerRules() {
  const rules = [];
  LAYERS.forEach((layer, i) => {
    const above = [ENTRIES, ...LAYERS.slice(0, i).flat().map(unitPath)].join('|');
    for (const unit of layer) {
      rules.push({
        name: `layer-upward-${unit}`,
        comment: `src/${unit} imports a unit of a higher layer (the order is in .dependency-cruiser.mjs)`,
        severity: 'error',
        from: { path: unitPath(unit), pathNot: SUBPATH_ENTRY },
        to: { path: above },
      });
      if (!isFile(unit)) {
        rules.push({
          name: `layer-upward-${unit}-entry`,
          comment: `src/${unit}/index.ts imports a unit of a higher layer other than register-kinds.ts`,
          severity: 'error',
          from: { path: `^src/${escapeRe(unit)}/index\\.ts$` },
          to: { path: above, pathNot: REGISTER_KINDS },
        });
      }
      const siblings = layer.filter((u) => u !== unit);
      if (siblings.length > 0) {
        rules.push({
          name: `layer-sibling-${unit}`,
          comment: `src/${unit} imports a sibling of its own layer (${siblings.join(', ')}): move what both need down a layer`,
          severity: 'error',
          from: { path: unitPath(unit) },
          to: { path: anyOf(siblings) },
        });
      }
    }
  });
  return rules;
}

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...layerRules(),
    {
      name: 'layer-unknown',
      comment: 'a file of src/ in no layer, so no layer rule checks it: add its folder to LAYERS',
      severity: 'error',
      from: { path: '^src/', pathNot: [ENTRIES, ...LAYERS.flat().map(unitPath)].join('|') },
      to: {},
    },
    {
      name: 'no-entry-import',
      comment: 'the package entries (src/index.ts, src/worker.ts, the subpath index.ts files) are imported by users, not by src/',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/index\\.ts$' },
      to: { path: `${ENTRIES}|${SUBPATH_ENTRY}` },
    },
    {
      name: 'no-circular',
      comment: 'an import cycle in src/',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'stdlib-only-in-interop',
      comment: '@stdlib is optional: only src/ndarray/stdlib*.ts and from-stdlib.ts reach it',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/ndarray/(stdlib[^/]*|from-stdlib)\\.ts$' },
      to: { path: '(^|/)node_modules/@stdlib/' },
    },
    {
      name: 'stdlib-lazy',
      comment: '@stdlib is optional: load it on first use (require or import()), never with a static import',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '(^|/)node_modules/@stdlib/', dependencyTypesNot: ['require', 'exotic-require', 'dynamic-import', 'type-only'] },
    },
    {
      name: 'src-stands-alone',
      comment: 'src/ is the published package: it imports nothing from bench/, test/, examples/, scripts/, fixtures/ or dist/',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(bench|test|examples|scripts|fixtures|dist)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import dependency-cruiser cannot resolve; the rules above see only what resolves',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // type-only imports are dependencies too: a type from a higher layer couples to it
    tsPreCompilationDeps: true,
    // absolute, so a cruise from another folder (the rule's test fixture) finds it too
    tsConfig: { fileName: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) },
    moduleSystems: ['es6', 'cjs'],
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.d.ts'],
      mainFields: ['main', 'types'],
    },
  },
};
