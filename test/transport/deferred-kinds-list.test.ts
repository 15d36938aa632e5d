import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const source = (path: string): string => readFileSync(new URL(`../../src/${path}`, import.meta.url), 'utf8');
const names = (text: string, pattern: RegExp): string[] => [...text.matchAll(pattern)].map((m) => m[1]!).sort();

// A worker decodes a kind it has not loaded only if src/deferred-kinds.ts names it: a kind
// registered without being named there would fail to arrive in a worker, and only there.
describe('the kinds a worker loads on first use', () => {
  it('are every kind the package registers, each named once', () => {
    const registered = [
      ...names(source('register-kinds.ts'), /\bshare(?:<[^>]*>)?\('(\w+)'/g),
      ...names(source('transport/ndarray-kind.ts'), /\bname: '(\w+)'/g),
      ...names(source('manager/kind.ts'), /\bname: '(\w+)'/g),
      ...names(source('io/kinds.ts'), /\bname: '(\w+)'/g),
    ].sort();
    expect(registered).toContain('Lock');
    expect(registered).toContain('ndarray');
    expect(registered).toContain('ManagerProxy');
    expect(registered).toContain('SharedMemory');
    expect(names(source('deferred-kinds.ts'), /'(\w+)'/g)).toEqual(registered);
  });
});
