/**
 * The WebAssembly kernel of the wheel sieve (`scripts/wheel-wasm.mjs` writes its text,
 * `wheel.wat`, and its bytes): the same loops as the TypeScript kernel of `wheel.ts`, about twice
 * as fast, over a shared WebAssembly memory that is also the SharedArrayBuffer of the scratch
 * matrix, so the workers sieve in the matrix's rows with no copy.
 */
import type { WheelKernel } from './wheel-count.js';
import { PRESIEVE_GROUPS } from './wheel.js';
import { WHEEL_WASM_BASE64 } from './wheel-wasm-bytes.js';

/** A WebAssembly.Memory (the package's TypeScript settings have no DOM types, so declared here). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
const PAGE = 65536;

let compiled: object | undefined;
let available: boolean | undefined;

function wasmModule(): object {
  if (!api) throw new Error('shared-ndarray: this runtime has no WebAssembly');
  compiled ??= new api.Module(Buffer.from(WHEEL_WASM_BASE64, 'base64'));
  return compiled;
}

/** A shared memory of at least `bytes` bytes, all of it the scratch space (the module has no data of its own). */
export function sharedWasmMemory(bytes: number): WasmMemory {
  if (!api) throw new Error('shared-ndarray: this runtime has no WebAssembly');
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  return new api.Memory({ initial: pages, maximum: pages, shared: true });
}

/** Whether the WebAssembly kernel runs here (WebAssembly with shared memories, and the module compiles). */
export function wasmAvailable(): boolean {
  if (available === undefined) {
    try {
      wasmWheelKernel(sharedWasmMemory(PAGE));
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

/** The WebAssembly kernel over `memory`. */
export function wasmWheelKernel(memory: WasmMemory): WheelKernel {
  const { exports } = new api!.Instance(wasmModule(), { env: { memory } });
  const cross = exports.cross as (at: number, length: number, primes: number, states: number, from: number, to: number, spare: number) => void;
  const presieve = exports.presieve as (at: number, length: number, sources: number) => void;
  const count = exports.count as (at: number, length: number) => number;
  return {
    u8: new Uint8Array(memory.buffer),
    i32: new Int32Array(memory.buffer),
    cross,
    presieve,
    count,
    presieveGroups: PRESIEVE_GROUPS.length,
  };
}
