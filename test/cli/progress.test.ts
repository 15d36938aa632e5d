import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/sieve-command.js';

/** A stream that records what is written, posing as a terminal or not. */
function stream(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text(): string } {
  const chunks: string[] = [];
  const s = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
  return Object.assign(s, { isTTY, columns: 100, text: () => chunks.join('') });
}

describe('the sieve command progress bar', () => {
  it('is absent when stderr is not a terminal', () => {
    const out = stream(false);
    const reporter = progressReporter('2 threads', out);
    expect(reporter.onProgress).toBeUndefined();
    reporter.stop();
    expect(out.text()).toBe('');
  });

  it('appears on a terminal only once the run has taken more than half a second', () => {
    const out = stream(true);
    let clock = 0;
    const reporter = progressReporter('2 threads', out, () => clock);
    clock = 400;
    reporter.onProgress!(10, 100);
    expect(out.text()).toBe('');
    clock = 600;
    reporter.onProgress!(40, 100);
    expect(out.text()).toContain('2 threads');
    expect(out.text()).toMatch(/40%/);
    expect(out.text()).toContain('40/100 segments');
    reporter.onProgress!(100, 100);
    reporter.stop();
  });

  it('never appears for a run that finishes within the delay', () => {
    const out = stream(true);
    let clock = 0;
    const reporter = progressReporter('1 thread', out, () => clock);
    clock = 100;
    reporter.onProgress!(100, 100);
    clock = 900;
    reporter.onProgress!(100, 100);
    reporter.stop();
    expect(out.text()).toBe('');
  });
});
