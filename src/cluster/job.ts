/**
 * What a cluster task looks like in BullMQ: the job's data (the function's name and its encoded
 * arguments) and its result envelope. A function that throws is a result too (`ok: false`), not
 * a failed job: BullMQ would retry a failure, and a throwing task is not retried, as in the local
 * Pool. A failed job is the cluster's own failure (a daemon that died more often than
 * `maxStalledCount` allows).
 *
 * @internal
 */
import { deserialize, serialize } from 'node:v8';
import { ArgumentError } from '../errors.js';
import { show } from '../check.js';
import { decode, encode } from '../transport/transport.js';
import type { Encoded, RowsWindow } from './arrays/index.js';

export interface JobData {
  v: 1;
  /** The worker module's name (its file name without the extension), checked by the daemon. */
  module: string;
  fn: string;
  /** `args` is a list of argument lists, run in order as one task (a chunk of a map). */
  chunk: boolean;
  args: Encoded;
  /** The cluster's key namespace, where its Redis arrays live. */
  namespace: string;
  /** mapRows: the rows of the split argument this task works on. */
  rows?: RowsWindow;
}

export type Envelope = { ok: true; value: Encoded } | { ok: false; error: string };

/** The name a worker module goes by in jobs: `fill.worker` for fill.worker.ts and its compiled fill.worker.js alike. */
export function moduleName(href: string): string {
  const file = decodeURIComponent(new URL(href).pathname.split('/').pop() ?? '');
  return file.replace(/\.[cm]?[jt]sx?$/i, '');
}

/** An error as it travels back: its class name, message, stack and own fields (see transport/). */
export function packError(error: unknown): string {
  let bytes: Buffer;
  try {
    bytes = serialize(encode(error));
  } catch {
    // fields v8 cannot copy: keep what transport's error kind keeps of any error
    const e = error instanceof Error ? error : new Error(String(error));
    bytes = serialize(encode(Object.assign(new Error(e.message), { name: e.name, stack: e.stack })));
  }
  return bytes.toString('base64');
}

/** The worker's error, rebuilt as its class. */
export function unpackError(packed: string): unknown {
  return decode(deserialize(Buffer.from(packed, 'base64')));
}

/**
 * @throws {ArgumentError} when `data` is not a cluster job's data (a job of something else on the queue)
 */
export function checkJobData(fn: string, data: unknown): JobData {
  const d = data as Partial<JobData> | null;
  if (typeof d !== 'object' || d === null || d.v !== 1 || typeof d.module !== 'string' || typeof d.fn !== 'string' || typeof d.chunk !== 'boolean' || typeof d.namespace !== 'string') {
    throw new ArgumentError(`${fn}: a job on the queue is not a ClusterPool task (${show(data)}); is another program using this queue name?`);
  }
  return d as JobData;
}
