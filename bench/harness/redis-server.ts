/**
 * A private redis-server for the Redis store's tests and the manager bench suite: a free loopback
 * port (redis-server has no `--port 0`), no persistence, stopped in teardown. Missing
 * redis-server fails loudly in the tests (CI installs it, .ci/run; a silent skip would hide the
 * store's tests); the bench checks `REDIS_SERVER` first and skips its cases.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The redis-server binary, or undefined when none is installed. */
export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One PING over a raw socket: whether the server answers +PONG (or -NOAUTH, which is an answer too). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(/^[+-]/.test(data.toString())));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** SIGKILL: as if the machine running Redis died. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after kill or stop). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a redis-server on a free loopback port; `extra` are more command-line options (an ACL
 * user: `['--user', 'app', 'on', '>secret', '~*', '&*', '+@all']`, each word its own argument).
 * @throws when redis-server is not installed, or does not answer within 10 s
 */
export async function startRedis(extra: readonly string[] = []): Promise<RedisServer> {
  if (REDIS_SERVER === undefined) {
    throw new Error('redis-server is not installed: the Redis store tests need it (Debian: apt-get install redis-server; .ci/run installs it)');
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'shared-ndarray-redis-'));
  let child: ChildProcess | undefined;

  const exited = (c: ChildProcess) => new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) resolve();
    else c.once('exit', () => resolve());
  });

  const start = async (): Promise<void> => {
    const c = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra], { stdio: 'ignore' });
    child = c;
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      if (c.exitCode !== null) throw new Error(`redis-server exited with code ${c.exitCode} at start (port ${port})`);
      if (await ping(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    c.kill('SIGKILL');
    throw new Error(`redis-server on port ${port} did not answer within 10 s`);
  };

  const signal = async (name: NodeJS.Signals): Promise<void> => {
    const c = child;
    if (c === undefined) return;
    child = undefined;
    c.kill(name);
    await exited(c);
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => signal('SIGKILL'),
    start,
    stop: async () => {
      await signal('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
