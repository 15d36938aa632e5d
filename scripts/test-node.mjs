#!/usr/bin/env node
// `npm run test:node`: the tests of what a user installs (the packed tarball, importing the
// package, the optional stdlib peer, pools, the sieve, memory maps and the addon) on each supported
// Node other than the development one, which runs the whole suite (`npm test`). Each Node comes from
// scripts/fetch-node.mjs, the prebuilt addons from scripts/prebuild.mjs; vitest runs under that Node.
//   node scripts/test-node.mjs [major...]     (default: 22 24)
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFor } from './fetch-node.mjs';

const FILES = [
  'test/package.e2e.test.ts',
  'test/deferred-root.thread.test.ts',
  'test/transport/deferred-kinds.thread.test.ts',
  'test/ndarray/stdlib.thread.test.ts',
  'test/ndarray/large-alloc.thread.test.ts',
  'test/pool/pool.thread.test.ts',
  'test/pool/spin-wait.thread.test.ts',
  'test/sieve/sieve.test.ts',
  'test/sieve/sieve.thread.test.ts',
  'test/io/memmap.test.ts',
  'test/io/memmap.thread.test.ts',
  'test/io/native.test.ts',
  'test/io/native.thread.test.ts',
  'test/io/native.e2e.test.ts',
];
const root = fileURLToPath(new URL('..', import.meta.url));
const majors = process.argv.slice(2).length ? process.argv.slice(2) : ['22', '24'];

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(0)} s`;
let started = Date.now();
const targets = majors.map((major) => nodeFor(major));
const prebuild = spawnSync(process.execPath, [join(root, 'scripts', 'prebuild.mjs')], { cwd: root, stdio: 'inherit' });
if (prebuild.status !== 0) process.exit(1);
console.log(`test:node: Node ${targets.map((t) => t.version).join(', ')} and the prebuilds ready in ${seconds(started)}`);

const results = [];
for (const target of targets) {
  started = Date.now();
  console.log(`\ntest:node: Node ${target.version} (${target.node})`);
  const r = spawnSync(target.node, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...FILES], {
    cwd: root, stdio: 'inherit', env: { ...process.env, PATH: `${target.bin}${delimiter}${process.env.PATH ?? ''}` },
  });
  results.push({ version: target.version, ok: r.status === 0, time: seconds(started) });
}
for (const { version, ok, time } of results) console.log(`test:node: Node ${version}: ${ok ? 'passed' : 'FAILED'} (${time})`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
