/** The shapes of a suite's results: what bench/results/<suite>.json holds. */

/** The machine a run was measured on. */
export interface MachineInfo {
  cpu: string;
  /** Logical CPUs (os.cpus().length) and what Node reports as usable (availableParallelism). */
  cores: number;
  availableParallelism: number;
  ramBytes: number;
  platform: string;
  node: string;
  /** ISO 8601 time the suite started. */
  date: string;
}

/**
 * How a case was measured:
 * - `benchmark.js`: benchmark.js cycles; `median` is the median of its samples (seconds per
 *   operation), `rme` its relative margin of error (%, 95% confidence).
 * - `timed`: whole runs timed by the harness (multi-second or memory-heavy cases), `median` the
 *   median of the runs.
 * - `interleaved`: the cases of a group measured in turns (a batch of calls each, the order
 *   rotating every round), so that a background load that comes and goes hits them alike;
 *   `median` is the median over the rounds of the time per call.
 * - `reported`: as `timed`, but each run's seconds are the peer's own figure (primesieve's
 *   `--time`, Python's `timeit`), which leaves out its process start-up.
 * For all but benchmark.js, `rme` is half the spread of the runs (or rounds), (max - min) / 2,
 * relative to the median; null for one run.
 */
export type Method = 'benchmark.js' | 'timed' | 'interleaved' | 'reported';

export interface CaseResult {
  /** The title of the table (group) the case belongs to. */
  group: string;
  name: string;
  /** A case of this package; false for a peer or a baseline. */
  ours: boolean;
  method: Method;
  /** Seconds per operation (null: skipped). */
  median: number | null;
  /** Best run or sample, seconds. */
  min: number | null;
  /** ± in percent (see Method). */
  rme: number | null;
  samples: number;
  /** Per-run seconds of a timed or reported case; per-call seconds of each round of an interleaved one. */
  runs?: number[];
  /** The case this one is compared with (its ratio's denominator), if any. */
  peer: string | null;
  /** median / the peer's median. */
  ratio: number | null;
  /** Why the case did not run, with how to install what it needs. */
  skipped?: string;
  /** What the case checked or computed, e.g. "pi(1e8) = 5761455". */
  detail?: string;
}

export interface GroupInfo {
  title: string;
  note?: string;
}

/** A ratio of two cases the suite calls out, with an optional bar it should stay under. */
export interface Comparison {
  label: string;
  case: string;
  vs: string;
  ratio: number | null;
  /** The bar: ratio must be <= limit. */
  limit?: number;
  pass?: boolean | null;
}

export interface SuiteResult {
  suite: string;
  title: string;
  /**
   * The run the suite was measured in: the ISO 8601 time the runner started, the same for every
   * suite of one invocation, so results of different runs cannot be mixed on one page.
   */
  run: string;
  quick: boolean;
  /** Present in a --smoke run's results (which are also quick): each case measured once. */
  smoke?: true;
  machine: MachineInfo;
  /** Versions of the peers the run used, e.g. { primesieve: "12.4", python3: "3.11.7" }. */
  peers: Record<string, string>;
  groups: GroupInfo[];
  cases: CaseResult[];
  comparisons: Comparison[];
  notes: string[];
  /** Seconds the suite took, set-up included. */
  elapsed: number;
}
