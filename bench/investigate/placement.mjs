/**
 * For the latency investigations (handoff-split.mjs, wake-order.mjs): which CPU a thread runs on
 * decides a round trip's time on a 2-vCPU VM more than the code does (pool-overhead.md, issue 14's
 * latency), so these pin threads and count how often each slept. Linux only: taskset and /proc.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';

/** This thread's kernel thread id; a worker evaluates the same expression (see TID_SOURCE). */
export const threadId = () => Number(readlinkSync('/proc/thread-self').split('/').pop());
export const TID_SOURCE = "Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop())";

/**
 * PLACE=same puts `main` and every peer on CPU 0, PLACE=split `main` on CPU 0 and the peers on
 * CPU 1; unset, the scheduler places them. Returns what it did, for the report.
 */
export function place(main, peers) {
  const mode = process.env.PLACE;
  if (mode !== 'same' && mode !== 'split') return 'placed by the scheduler';
  const pin = (tid, cpu) => execFileSync('taskset', ['-pc', cpu, String(tid)], { stdio: 'ignore' });
  pin(main, '0');
  for (const tid of peers) pin(tid, mode === 'same' ? '0' : '1');
  return mode === 'same' ? 'all on CPU 0' : 'main on CPU 0, workers on CPU 1';
}

/** [times it slept (voluntary switches), times it was preempted (involuntary)] so far. */
export function switches(tid) {
  const status = readFileSync(`/proc/${process.pid}/task/${tid}/status`, 'utf8');
  return [Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)[1]), Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)[1])];
}
