/**
 * The engine of `imap`/`imapUnordered`: a background pump reads the input and submits chunks,
 * and the async generator yields each chunk's results as soon as they are ready.
 */

/** What the iterator needs from its pool. */
export interface IterationHost {
  /**
   * Chunks submitted and not yet yielded, at most this many while the pool runs, so results
   * nobody has read yet bound the memory too.
   */
  readonly window: number;
  /** After close(), the rest of the input is read and queued at once (Python submits it all at the call). */
  closed(): boolean;
  /** Queues one chunk, even after close(): the call was made before. */
  submit(chunk: unknown[]): Promise<unknown[]>;
  /** Counts work as pending, so join() waits for it. */
  track(work: Promise<void>): void;
  /** Where a running iteration registers the function close() calls to drain it. */
  readonly iterations: Set<() => void>;
  /** The call's signal: its abort wakes the iteration, which then throws `cancelled()`. */
  readonly signal?: AbortSignal | undefined;
  /** The call's AbortError once its signal aborted (the host cancels the chunks in flight). */
  cancelled(): Error | undefined;
  /** Called once when the iteration ends, however it ends. */
  finished(): void;
}

export async function* chunksOf<T>(items: Iterable<T> | AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

export function isIterable(value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> {
  return value != null && (typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function'
    || typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function');
}

/** The async generator behind imap (`ordered`) and imapUnordered, over chunks of the input. */
export function iterate(host: IterationHost, source: AsyncGenerator<unknown[]>, ordered: boolean): AsyncGenerator<unknown, void, undefined> {
  const done = new Map<number, { ok: true; results: unknown[] } | { ok: false; error: unknown }>();
  let submitted = 0;
  let yielded = 0;
  let exhausted = false;
  let stopped = false;
  /** An error from the input itself, raised after the results of the chunks read before it. */
  let inputError: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const changed = (): void => { const w = wake; wake = undefined; w?.(); };

  // Reads input and submits chunks in the background, so a result is yielded as soon as it is
  // ready, not after the next read of a slow input.
  let pumping: Promise<void> | undefined;
  const pump = (): Promise<void> => (pumping ??= (async () => {
    while (!stopped && !exhausted && !host.cancelled() && (host.closed() || submitted - yielded < host.window)) {
      let step: IteratorResult<unknown[]>;
      try {
        step = await source.next();
      } catch (error) {
        inputError = { error };
        exhausted = true;
        break;
      }
      if (step.done) { exhausted = true; break; }
      const index = submitted++;
      host.submit(step.value).then(
        (results) => { done.set(index, { ok: true, results }); changed(); },
        (error: unknown) => { done.set(index, { ok: false, error }); changed(); },
      );
      changed();
      // Draining after close(): let the event loop run between reads of a long input.
      if (host.closed()) await new Promise((resolve) => setImmediate(resolve));
    }
  })().finally(() => {
    // Runs as a callback, so after `pumping` was assigned even when the loop did not start.
    pumping = undefined;
    changed();
  }));
  const drain = (): void => { host.track(pump()); };
  const iterations = host.iterations;
  iterations.add(drain);
  host.signal?.addEventListener('abort', changed, { once: true });

  return (async function* iterate(): AsyncGenerator<unknown, void, undefined> {
    try {
      void pump();
      for (;;) {
        const cancelled = host.cancelled();
        if (cancelled) throw cancelled;
        const key = ordered ? (done.has(yielded) ? yielded : undefined) : done.keys().next().value;
        if (key !== undefined) {
          const outcome = done.get(key)!;
          done.delete(key);
          yielded++;
          void pump();
          if (!outcome.ok) throw outcome.error;
          yield* outcome.results;
          continue;
        }
        if (exhausted && pumping === undefined && yielded === submitted) {
          if (inputError) throw inputError.error;
          return;
        }
        await new Promise<void>((resolve) => { wake = resolve; });
      }
    } finally {
      stopped = true;
      iterations.delete(drain);
      host.signal?.removeEventListener('abort', changed);
      host.finished();
      if (!exhausted) await source.return(undefined);
    }
  })();
}
