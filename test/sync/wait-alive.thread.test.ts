import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('../support/wait-alive-child.mjs', import.meta.url));

describe('async waits and the event loop', () => {
  it('a pending async wait keeps the process alive, and none keeps it after the last one', async () => {
    // exiting early would lose a line (and exit 13, an unsettled top-level await); a wait that kept
    // the process alive after it settled would hang until the timeout
    const { stdout } = await run(process.execPath, [CHILD], { timeout: 20_000 });
    expect(stdout).toBe('acquired 1\nacquired 2\n');
  }, 30_000);
});
