/** Finding the peers a suite compares with, and running the ones that are other programs. */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, availableParallelism, platform, release, totalmem } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type { MachineInfo } from './types.js';

const require = createRequire(import.meta.url);

/** How to install each peer, for the line a skipped case prints. */
export const INSTALL = {
  primesieve: 'apt-get install primesieve',
  python3: 'apt-get install python3',
  numpy: 'apt-get install python3-numpy',
  /** npm peers are devDependencies of the repository, so only an installed package lacks them. */
  npm: (name: string): string => `npm install ${name}`,
} as const;

export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    availableParallelism: availableParallelism(),
    ramBytes: totalmem(),
    platform: `${platform()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

/** The path of an executable named `command` on `path` (default $PATH), or undefined. */
export function which(command: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = isAbsolute(command) ? [command] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Runs a program to completion; rejects with its stderr on a non-zero exit. */
export function run(file: string, args: readonly string[], options: { timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 0 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}${stderr ? `\n${stderr}` : ''}`));
      else resolve(stdout);
    });
  });
}

/** The last non-empty line of a program's output, parsed as JSON. */
export async function runJson<T>(file: string, args: readonly string[]): Promise<T> {
  const out = await run(file, args);
  const last = out.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${file} ${args.join(' ')} printed no JSON line: ${JSON.stringify(out.slice(-500))}`);
  }
}

export interface Found { path: string; version: string }

/** `primesieve` on $PATH, with its version. */
export async function findPrimesieve(path?: string): Promise<Found | undefined> {
  const file = which('primesieve', path);
  if (file === undefined) return undefined;
  try {
    const version = (await run(file, ['--version'])).split('\n')[0]!.split(',')[0]!.trim();
    return { path: file, version };
  } catch {
    return undefined;
  }
}

/**
 * A Python 3 to run the peers with: $BENCH_PYTHON, else `python3` on $PATH, else
 * /usr/bin/python3; with `numpy`, the first of those that imports numpy.
 */
export async function findPython(options: { numpy?: boolean; path?: string } = {}): Promise<Found | undefined> {
  const names = [process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter((n): n is string => !!n);
  const script = options.numpy
    ? 'import sys, numpy; print("Python %d.%d.%d, numpy %s" % (sys.version_info[:3] + (numpy.__version__,)))'
    : 'import sys; print("Python %d.%d.%d" % sys.version_info[:3])';
  for (const name of names) {
    const file = which(name, options.path);
    if (file === undefined) continue;
    try {
      return { path: file, version: (await run(file, ['-c', script], { timeoutMs: 30_000 })).trim() };
    } catch {
      // not Python 3, or no numpy: try the next
    }
  }
  return undefined;
}

/** The version of an installed npm package (read from its package.json, which not every package exports). */
export function packageVersion(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const file = join(dir, name, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

/** Imports an npm peer, or returns undefined when it is not installed. */
export async function importPeer<T>(specifier: string): Promise<T | undefined> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
