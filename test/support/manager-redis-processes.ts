/**
 * Other processes for test/manager/redis.thread.test.ts, running manager-redis-child.mjs: one a
 * test starts for itself (to kill it), or a few long-lived agents the file's tests take turns
 * on. A process and its Manager.connect cost about 0.3 CPU s (Node, the package, and the
 * manager's thread with its Redis client); an agent pays that once for many tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll } from 'vitest';

const CHILD = new URL('./manager-redis-child.mjs', import.meta.url).pathname;

/** What one mode printed: `line` resolves with its first line, `output` with all of them once it ended. */
export interface Run {
  readonly line: Promise<string>;
  readonly output: Promise<string>;
  /** the lines so far */
  readonly lines: readonly string[];
  /** whether it ended (or failed) */
  readonly ended: boolean;
}

class RunState implements Run {
  readonly lines: string[] = [];
  ended = false;
  readonly line: Promise<string>;
  readonly output: Promise<string>;
  #first!: { resolve(line: string): void; reject(error: Error): void };
  #all!: { resolve(output: string): void; reject(error: Error): void };

  constructor() {
    this.line = new Promise((resolve, reject) => { this.#first = { resolve, reject }; });
    this.output = new Promise((resolve, reject) => { this.#all = { resolve, reject }; });
    // awaited later by the test; meanwhile an early failure must not be an unhandled rejection
    this.line.catch(() => {});
    this.output.catch(() => {});
  }

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length === 1) this.#first.resolve(line);
  }

  end(): void {
    this.ended = true;
    this.#first.reject(new Error('ended before a line'));
    this.#all.resolve(this.lines.map((l) => `${l}\n`).join(''));
  }

  fail(message: string): void {
    this.ended = true;
    this.#first.reject(new Error(message));
    this.#all.reject(new Error(message));
  }
}

/** A process of its own running one mode: for a test that kills it. */
export function child(mode: string, url: string, namespace: string, prefix: string, ...args: string[]): Run & { process: ChildProcess; exit: Promise<number | null> } {
  const p = spawn(process.execPath, [CHILD, mode, url, namespace, prefix, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d) => { err += d; });
  const run = new RunState();
  createInterface({ input: p.stdout! }).on('line', (line) => run.push(line));
  const exit = new Promise<number | null>((resolve) => p.once('exit', (code) => resolve(code)));
  // 'close' comes after its output's last line
  p.once('close', (code) => (code === 0 ? run.end() : run.fail(`child exited (${code}): ${err}`)));
  return Object.assign(run, { process: p, exit });
}

/** A process that runs modes one after another on one connection (manager-redis-child.mjs agent). */
export class Agent {
  readonly #process: ChildProcess;
  readonly #runs = new Map<string, RunState>();
  readonly exit: Promise<number | null>;
  #next = 0;
  #stderr = '';

  constructor(url: string, namespace: string) {
    this.#process = spawn(process.execPath, [CHILD, 'agent', url, namespace], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#process.stderr!.on('data', (d) => { this.#stderr += d; });
    createInterface({ input: this.#process.stdout! }).on('line', (line) => {
      const space = line.indexOf(' ');
      const id = line.slice(0, space), text = line.slice(space + 1);
      const run = this.#runs.get(id);
      if (run === undefined) return;
      if (text === '.end' || text.startsWith('.error ')) {
        this.#runs.delete(id);
        if (text === '.end') run.end();
        else run.fail(`agent: ${text.slice(7)}`);
      } else {
        run.push(text);
      }
    });
    // 'close' comes after its output's last line
    this.exit = new Promise((resolve) => this.#process.once('close', (code) => {
      for (const run of this.#runs.values()) run.fail(`agent exited (${code}): ${this.#stderr}`);
      this.#runs.clear();
      resolve(code);
    }));
  }

  /** Runs `mode` once the modes asked before it ended. */
  run(mode: string, prefix: string, ...args: string[]): Run & { id: string } {
    const id = String(this.#next++);
    const run = new RunState();
    this.#runs.set(id, run);
    this.#process.stdin!.write(`${[id, mode, prefix, ...args].join(' ')}\n`);
    return Object.assign(run, { id });
  }

  /** Tells a running `own ... shutdown` to shut its manager down. */
  stop(run: { id: string }): void {
    this.#process.stdin!.write(`${run.id} stop\n`);
  }

  /** Ends its stdin: it shuts its manager down and exits, with code 0 or an error. */
  async close(): Promise<void> {
    this.#process.stdin!.end();
    const code = await this.exit;
    if (code !== 0) throw new Error(`agent exited (${code}): ${this.#stderr}`);
  }

  kill(): Promise<number | null> {
    this.#process.kill('SIGKILL');
    return this.exit;
  }
}

/**
 * `count` agents on `namespace` (of the server `url()` names, started before their first use),
 * which tests running concurrently take in turns: `use(k, (a, b) => ...)` waits, first come
 * first served, until k are free. A test that fails may have left its agents blocked in a wait,
 * so they are killed and replaced. Call at the top level of a test file; they exit after it.
 */
export function agents(url: () => string, namespace: string, count: number): <T>(k: number, f: (...taken: Agent[]) => Promise<T>) => Promise<T> {
  let free: Agent[] | undefined;
  const all = new Set<Agent>();
  const waiting: { k: number; grant: (taken: Agent[]) => void }[] = [];
  const spawnAgent = (): Agent => {
    const agent = new Agent(url(), namespace);
    all.add(agent);
    return agent;
  };
  const grant = (): void => {
    while (waiting.length > 0 && waiting[0]!.k <= free!.length) {
      const { k, grant: give } = waiting.shift()!;
      give(free!.splice(0, k));
    }
  };
  afterAll(async () => {
    await Promise.all([...all].map((agent) => agent.close()));
  });
  return async (k, f) => {
    if (k > count) throw new Error(`${k} agents asked of ${count}`);
    free ??= Array.from({ length: count }, spawnAgent);
    const taken = await new Promise<Agent[]>((resolve) => {
      waiting.push({ k, grant: resolve });
      grant();
    });
    let ok = false;
    try {
      const result = await f(...taken);
      ok = true;
      return result;
    } finally {
      if (!ok) {
        for (const agent of taken) {
          all.delete(agent);
          void agent.kill();
        }
      }
      free.push(...(ok ? taken : taken.map(spawnAgent)));
      grant();
    }
  };
}
