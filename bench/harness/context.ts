/**
 * What a suite measures with: a SuiteContext runs its cases one after another in this process,
 * prints a progress line per case to stderr, and gathers the results (see types.ts).
 */
import type Benchmark from 'benchmark';
import { describeSamples, formatSeconds } from './format.js';
import { INSTALL, importPeer } from './peers.js';
import type { CaseResult, Comparison, GroupInfo, MachineInfo, Method, SuiteResult } from './types.js';

export interface CaseOptions {
  /** The case this one is compared with: its ratio is median / that case's median. */
  vs?: string;
  /** A peer or a baseline rather than this package. */
  peer?: boolean;
  /** What the case checked or computed, shown in the JSON. */
  detail?: string;
}

export interface BenchOptions extends CaseOptions {
  /** benchmark.js's maxTime in seconds (default 0.25 with --quick, 3 without; one sample with --smoke). */
  maxTime?: number;
}

export interface TimedOptions extends CaseOptions {
  /** Timed runs (default 2 with --quick, 3 without; always 1 with --smoke). */
  runs?: number;
  /** An untimed run first (default false). */
  warmup?: boolean;
  /** Operations one run does: its time is divided by this (default 1). */
  perCall?: number;
  /** Runs before each timed run, untimed: e.g. collecting the previous run's memory. */
  before?: () => unknown;
}

/**
 * One case of `interleaved`: `batch` overrides the calls per turn for this case; `perCall` says
 * how many operations one call of `fn` makes (the time per call is divided by it; default 1).
 */
export interface InterleavedCase {
  name: string;
  fn: () => Promise<unknown>;
  options?: CaseOptions;
  batch?: number;
  perCall?: number;
}

/** A suite: a function the harness runs with a fresh context. */
export interface Suite {
  name: string;
  title: string;
  run(context: SuiteContext): Promise<void>;
}

/**
 * benchmark.js, imported on first use: a devDependency of the repository, an optional peer of the
 * installed package (it weighs more than the package), so the cases it samples can be skipped.
 */
let benchmarkJs: Promise<typeof Benchmark | undefined> | undefined;
const BENCHMARK_MISSING = `benchmark.js is not installed: ${INSTALL.npm('benchmark')}`;

function loadBenchmark(): Promise<typeof Benchmark | undefined> {
  benchmarkJs ??= importPeer<{ default: typeof Benchmark }>('benchmark').then((module) => module?.default);
  return benchmarkJs;
}

/** Slower than this per call, a `benchAsync` case is timed whole instead of sampled by benchmark.js. */
const SAMPLED_LIMIT_S = 0.2;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Half the spread of `values` relative to their median, in percent; null below 2 values. */
export function halfSpread(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = median(values);
  return m === 0 ? null : ((Math.max(...values) - Math.min(...values)) / 2 / m) * 100;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

function runBenchmark(bench: Benchmark): Promise<Benchmark> {
  return new Promise((resolve, reject) => {
    bench.on('complete', () => {
      const error = (bench as unknown as { error?: unknown }).error;
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(bench);
    });
    bench.run({ async: true });
  });
}

export class SuiteContext {
  readonly quick: boolean;
  /**
   * --smoke: the --quick cases, each measured once (one timed run, one benchmark.js sample, one
   * round of one call, no warm-up): for tests that check the runner works, not what it measures.
   */
  readonly smoke: boolean;
  readonly #run: string;
  readonly #suite: Suite;
  readonly #machine: MachineInfo;
  readonly #log: (line: string) => void;
  readonly #tty: boolean;
  readonly #groups: GroupInfo[] = [];
  readonly #cases: CaseResult[] = [];
  readonly #comparisons: Comparison[] = [];
  readonly #notes: string[] = [];
  readonly #peers: Record<string, string> = {};
  readonly #skipLines = new Set<string>();
  readonly #started = now();

  /**
   * `run` names the runner's invocation (see SuiteResult.run); `log` prints one progress line (the
   * runner: to stderr); with `tty` a case's name shows while it runs, and its line replaces it.
   */
  constructor(suite: Suite, options: { run: string; quick: boolean; smoke?: boolean; machine: MachineInfo; log: (line: string) => void; tty?: boolean }) {
    this.#run = options.run;
    this.#suite = suite;
    this.smoke = options.smoke ?? false;
    this.quick = options.quick || this.smoke;
    this.#machine = options.machine;
    this.#log = options.log;
    this.#tty = options.tty ?? false;
  }

  /**
   * A size or count by mode: `full`, or `quick` with --quick, or `smoke` with --smoke, which only
   * shows that every case runs (the smallest size that takes the case's path).
   */
  pick<T>(full: T, quick: T, smoke: T): T {
    return this.smoke ? smoke : this.quick ? quick : full;
  }

  /** Starts a new table; the cases that follow belong to it. */
  group(title: string, note?: string): void {
    if (this.#groups.some((g) => g.title === title)) throw new Error(`bench ${this.#suite.name}: two groups titled '${title}'`);
    this.#groups.push(note === undefined ? { title } : { title, note });
    this.#log(`  ${this.#suite.name} › ${title}`);
  }

  /** A line under the suite's tables. */
  note(text: string): void {
    this.#notes.push(text);
  }

  /** Records the version of a peer the run used. */
  peerVersion(name: string, version: string): void {
    this.#peers[name] = version;
  }

  /** Calls out `caseName`'s time over `vs`'s, optionally with a bar it should stay under. */
  compare(label: string, caseName: string, vs: string, limit?: number): void {
    this.#comparisons.push({ label, case: caseName, vs, ratio: null, ...(limit === undefined ? {} : { limit, pass: null }) });
  }

  /** A case that cannot run here; `reason` says why and how to install what it needs. */
  skip(name: string, reason: string, options: CaseOptions = {}): CaseResult {
    if (!this.#skipLines.has(reason)) {
      this.#skipLines.add(reason);
      this.#log(`    skipped: ${reason}`);
    }
    return this.#add(name, options, 'timed', [], { skipped: reason });
  }

  /** A synchronous function sampled by benchmark.js (skipped when benchmark.js is not installed). */
  async bench(name: string, fn: () => void, options: BenchOptions = {}): Promise<CaseResult> {
    const Benchmark = await loadBenchmark();
    if (Benchmark === undefined) return this.skip(name, BENCHMARK_MISSING, options);
    this.#announce(name);
    const bench = await runBenchmark(new Benchmark(name, fn, this.#sampling(options)));
    return this.#fromBenchmark(name, bench, options);
  }

  /**
   * An asynchronous function sampled by benchmark.js (deferred), after one untimed call; if that
   * call took over 0.2 s the case is timed whole instead, like `timed`. Skipped when benchmark.js
   * is not installed.
   */
  async benchAsync(name: string, fn: () => Promise<unknown>, options: BenchOptions & TimedOptions = {}): Promise<CaseResult> {
    const Benchmark = await loadBenchmark();
    if (Benchmark === undefined) return this.skip(name, BENCHMARK_MISSING, options);
    this.#announce(name);
    if (this.smoke) return this.#timedRuns(name, fn, options);
    const start = now();
    await fn();
    if (now() - start > SAMPLED_LIMIT_S) return this.#timedRuns(name, fn, options);
    let failure: unknown;
    const bench = await runBenchmark(new Benchmark(name, {
      defer: true,
      ...this.#sampling(options),
      fn: (deferred: Benchmark.Deferred) => {
        fn().then(() => deferred.resolve(), (error: unknown) => { failure ??= error; deferred.resolve(); });
      },
    }));
    if (failure !== undefined) throw failure;
    return this.#fromBenchmark(name, bench, options);
  }

  /** Whole runs timed by the harness: for cases of a second or more, or that need a lot of memory. */
  async timed(name: string, fn: () => unknown, options: TimedOptions = {}): Promise<CaseResult> {
    this.#announce(name);
    if (options.warmup && !this.smoke) await fn();
    return this.#timedRuns(name, fn, options);
  }

  /**
   * Cases measured in turns: after one untimed batch each, every round runs `batch` calls of each
   * case back to back (the order rotating from round to round) and records the time per call.
   * For latencies that a background load would skew if the cases ran one after another.
   */
  async interleaved(cases: readonly InterleavedCase[], settings: { batch: number; rounds?: number }): Promise<CaseResult[]> {
    const rounds = this.smoke ? 1 : settings.rounds ?? (this.quick ? 5 : 15);
    const batches = cases.map((c) => (this.smoke ? 1 : c.batch ?? settings.batch));
    this.#log(`    (interleaved: ${rounds} rounds of ${[...new Set(batches)].join(' or ')} call${Math.max(...batches) === 1 ? '' : 's'} per case)`);
    const perCall: number[][] = cases.map(() => []);
    const batch = async (index: number): Promise<number> => {
      const { fn, perCall = 1 } = cases[index]!;
      const count = batches[index]!;
      const start = now();
      for (let i = 0; i < count; i++) await fn();
      return (now() - start) / count / perCall;
    };
    if (!this.smoke) for (let index = 0; index < cases.length; index++) await batch(index);
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < cases.length; k++) {
        const index = (k + round) % cases.length;
        perCall[index]!.push(await batch(index));
      }
    }
    return cases.map((c, i) => this.#done(this.#add(c.name, c.options ?? {}, 'interleaved', perCall[i]!)));
  }

  /**
   * A peer that times itself: `run` returns the seconds of each of its runs (primesieve's
   * `--time`, Python's `timeit`), which leave out the start-up of its process.
   */
  async reported(name: string, run: () => Promise<number[]>, options: CaseOptions = {}): Promise<CaseResult> {
    this.#announce(name);
    const seconds = await run();
    if (seconds.length === 0 || !seconds.every((s) => Number.isFinite(s) && s >= 0)) {
      throw new Error(`bench ${this.#suite.name}: ${name} reported no valid times: ${JSON.stringify(seconds)}`);
    }
    return this.#done(this.#add(name, { peer: true, ...options }, 'reported', seconds));
  }

  /** The suite's result, with every ratio worked out. */
  finish(): SuiteResult {
    const byName = new Map(this.#cases.map((c) => [c.name, c]));
    const ratio = (name: string, vs: string): number | null => {
      const a = byName.get(name)?.median ?? null;
      const b = byName.get(vs)?.median ?? null;
      return a === null || b === null || b === 0 ? null : a / b;
    };
    for (const c of this.#cases) if (c.peer !== null) c.ratio = ratio(c.name, c.peer);
    for (const c of this.#comparisons) {
      for (const name of [c.case, c.vs]) {
        if (!byName.has(name)) throw new Error(`bench ${this.#suite.name}: comparison '${c.label}' names no case '${name}'`);
      }
      c.ratio = ratio(c.case, c.vs);
      if (c.limit !== undefined) c.pass = c.ratio === null ? null : c.ratio <= c.limit;
    }
    for (const c of this.#cases) {
      if (c.peer !== null && !byName.has(c.peer)) throw new Error(`bench ${this.#suite.name}: case '${c.name}' is compared with no case '${c.peer}'`);
    }
    return {
      suite: this.#suite.name,
      title: this.#suite.title,
      run: this.#run,
      quick: this.quick,
      ...(this.smoke ? { smoke: true } : {}),
      machine: this.#machine,
      peers: { ...this.#peers },
      groups: [...this.#groups],
      cases: [...this.#cases],
      comparisons: [...this.#comparisons],
      notes: [...this.#notes],
      elapsed: now() - this.#started,
    };
  }

  /**
   * benchmark.js's options: with --smoke one sample, of one cycle as short as it allows (its
   * default minTime, 50 ms and more, made each case cost a tenth of a second and more to calibrate).
   */
  #sampling(options: BenchOptions): { maxTime: number; minSamples?: number; minTime?: number } {
    return this.smoke ? { maxTime: 0, minSamples: 1, minTime: 1e-9 } : { maxTime: options.maxTime ?? (this.quick ? 0.25 : 3) };
  }

  #announce(name: string): void {
    if (this.#tty) process.stderr.write(`    ${name} …`);
  }

  async #timedRuns(name: string, fn: () => unknown, options: TimedOptions): Promise<CaseResult> {
    const count = this.smoke ? 1 : options.runs ?? (this.quick ? 2 : 3);
    const runs: number[] = [];
    for (let i = 0; i < count; i++) {
      await options.before?.();
      const start = now();
      await fn();
      runs.push((now() - start) / (options.perCall ?? 1));
    }
    return this.#done(this.#add(name, options, 'timed', runs));
  }

  #fromBenchmark(name: string, bench: Benchmark, options: CaseOptions): CaseResult {
    const sample = bench.stats.sample as number[];
    const result = this.#add(name, options, 'benchmark.js', []);
    result.median = median(sample);
    result.min = Math.min(...sample);
    result.rme = bench.stats.rme;
    result.samples = sample.length;
    return this.#done(result);
  }

  #add(name: string, options: CaseOptions, method: Method, runs: number[], extra: { skipped?: string } = {}): CaseResult {
    if (this.#groups.length === 0) throw new Error(`bench ${this.#suite.name}: case '${name}' comes before any group()`);
    if (this.#cases.some((c) => c.name === name)) throw new Error(`bench ${this.#suite.name}: two cases named '${name}'`);
    const m = runs.length > 0 ? median(runs) : null;
    const result: CaseResult = {
      group: this.#groups[this.#groups.length - 1]!.title,
      name,
      ours: !options.peer,
      method,
      median: m,
      min: runs.length > 0 ? Math.min(...runs) : null,
      rme: halfSpread(runs),
      samples: runs.length,
      ...(runs.length > 0 ? { runs } : {}),
      peer: options.vs ?? null,
      ratio: null,
      ...extra,
      ...(options.detail === undefined ? {} : { detail: options.detail }),
    };
    this.#cases.push(result);
    return result;
  }

  #done(c: CaseResult): CaseResult {
    const line = `    ${c.name}: ${formatSeconds(c.median!)}${c.rme === null ? '' : ` ±${c.rme.toFixed(1)}%`} (${describeSamples(c)})`;
    if (this.#tty) process.stderr.write('\r\x1b[K');
    this.#log(line);
    return c;
  }
}
