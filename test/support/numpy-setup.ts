/**
 * vitest globalSetup of every project (vitest.config.ts): whether Debian's python3 imports numpy,
 * asked once per run and handed to the test processes (`inject('hasNumpy')`, numpy.ts), instead of
 * once in each process that loads numpy.ts (a Python start and numpy's import each).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    hasNumpy: boolean;
  }
}

export const PYTHON = '/usr/bin/python3';

export default async function checkNumpy(project: TestProject): Promise<void> {
  // every project of the run runs this setup; the first to get here asks, for all of them
  if (project.getProvidedContext().hasNumpy !== undefined) return;
  let hasNumpy = true;
  try {
    await promisify(execFile)(PYTHON, ['-c', 'import numpy']);
  } catch {
    hasNumpy = false; // or PYTHON is missing
  }
  project.vitest.provide('hasNumpy', hasNumpy);
}
