/**
 * Interim codec of task arguments and results, by value only (v8.serialize), with the signatures
 * of the arrays module's (src/cluster/arrays/), which replaces it.
 *
 * @internal
 */
import { deserialize, serialize } from 'node:v8';
import { ArgumentError } from '../errors.js';
import { show } from '../check.js';
import { findShared } from '../transport/registry.js';

export interface ArrayContext {
  readonly redis?: unknown;
  readonly namespace: string;
}

export interface RowsWindow {
  readonly index: number;
  readonly start: number;
  readonly stop: number;
}

export interface Encoded {
  readonly v: 1;
  readonly value: string;
  readonly arrays: readonly unknown[];
}

function encode(fn: string, value: unknown, root: string): Encoded {
  const shared = findShared(value, root);
  if (shared !== undefined) {
    throw new ArgumentError(`${fn}: ${shared.path} is ${shared.what}, which lives in this process's memory and cannot reach another machine`);
  }
  try {
    return { v: 1, value: serialize(value).toString('base64'), arrays: [] };
  } catch (cause) {
    throw new ArgumentError(`${fn}: ${root} cannot be copied to another machine: ${(cause as Error).message}`, { cause });
  }
}

export async function encodeArgs(args: readonly unknown[], _ctx: ArrayContext, _options: { rowsIndex?: number } = {}): Promise<Encoded> {
  return encode('encodeArgs', args, 'args');
}

export async function encodeResult(value: unknown, _ctx: ArrayContext): Promise<Encoded> {
  return encode('encodeResult', value, 'the result');
}

export async function decodeArgs(encoded: Encoded, _ctx: ArrayContext, _rows?: RowsWindow): Promise<{ args: unknown[]; commit(): Promise<void> }> {
  const value = deserialize(Buffer.from(encoded.value, 'base64')) as unknown;
  if (!Array.isArray(value)) throw new ArgumentError(`decodeArgs: invalid argument 'encoded': it holds ${show(value)}, not an argument list`);
  return { args: value, commit: async () => {} };
}

export async function decodeResult(encoded: Encoded, _ctx: ArrayContext): Promise<unknown> {
  return deserialize(Buffer.from(encoded.value, 'base64'));
}
