/**
 * A private redis-server for the Redis store's tests and the manager bench suite: a free loopback
 * port (redis-server has no `--port 0`), no persistence, stopped in teardown. Missing
 * redis-server fails loudly in the tests (CI installs it, .ci/run; a silent skip would hide the
 * store's tests); the bench checks `REDIS_SERVER` first and skips its cases.
 *
 * With `{ tls: true }` it serves TLS only, with a throwaway certificate authority, server and
 * client certificates made by `openssl` in the server's temporary directory (deleted by stop()).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';

/** The redis-server binary, or undefined when none is installed. */
export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));

/** A loopback port nothing listens on now (taken, then released): for a server to start on, or a connection to be refused. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The openssl binary, or undefined when none is installed (then no TLS server). */
export const OPENSSL = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((p) => existsSync(p));

/** PEM files of a throwaway TLS setup. */
export interface RedisTls {
  /** the certificate authority that signed both certificates */
  readonly ca: string;
  /** a client certificate and its key, which the server requires */
  readonly cert: string;
  readonly key: string;
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, valid one day, in `dir`. */
function makeCertificates(dir: string): RedisTls {
  if (OPENSSL === undefined) throw new Error('openssl is not installed: the Redis TLS test needs it to make its certificates (Debian: apt-get install openssl)');
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync(OPENSSL, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '1', '-subj', '/CN=shared-ndarray test CA');
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const [name, subject] of [['server', '/CN=127.0.0.1'], ['client', '/CN=shared-ndarray test client']] as const) {
    openssl('req', ...ec, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', subject);
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file(`${name}.crt`), '-days', '1',
      ...(name === 'server' ? ['-extfile', file('server.ext')] : []));
  }
  return { ca: readFileSync(file('ca.crt'), 'utf8'), cert: readFileSync(file('client.crt'), 'utf8'), key: readFileSync(file('client.key'), 'utf8') };
}

/** One PING over a raw socket (or TLS): whether the server answers +PONG (or -NOAUTH, which is an answer too). */
function ping(port: number, tls: RedisTls | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls === undefined ? new Socket() : tlsConnect({ port, host: '127.0.0.1', ...tls }, () => socket.write('PING\r\n'));
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(/^[+-]/.test(data.toString())));
    if (tls === undefined) socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` (`rediss://` with TLS) */
  readonly url: string;
  /** With `{ tls: true }`: the CA and the client certificate to connect with. */
  readonly tls: RedisTls | undefined;
  /** SIGKILL: as if the machine running Redis died. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after kill). */
  start(): Promise<void>;
  /** Ends it for good: kills it and deletes its directory. */
  stop(): Promise<void>;
}

/**
 * Starts a redis-server on a free loopback port; `extra` are more command-line options (an ACL
 * user: `['--user', 'app', 'on', '>secret', '~*', '&*', '+@all']`, each word its own argument).
 * With `options.tls`, it serves TLS only and requires a client certificate (`server.tls`).
 * @throws when redis-server (or, for TLS, openssl) is not installed, or it does not answer within 10 s
 */
export async function startRedis(extra: readonly string[] = [], options: { tls?: boolean } = {}): Promise<RedisServer> {
  if (REDIS_SERVER === undefined) {
    throw new Error('redis-server is not installed: the Redis store tests need it (Debian: apt-get install redis-server; .ci/run installs it)');
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'shared-ndarray-redis-'));
  let tls: RedisTls | undefined;
  try {
    tls = options.tls === true ? makeCertificates(dir) : undefined;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const listen = tls === undefined ? ['--port', String(port)] : [
    '--port', '0', '--tls-port', String(port), '--tls-cert-file', join(dir, 'server.crt'), '--tls-key-file', join(dir, 'server.key'),
    '--tls-ca-cert-file', join(dir, 'ca.crt'), '--tls-auth-clients', 'yes',
  ];
  let child: ChildProcess | undefined;

  const exited = (c: ChildProcess) => new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) resolve();
    else c.once('exit', () => resolve());
  });

  const start = async (): Promise<void> => {
    const c = spawn(REDIS_SERVER, [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra], { stdio: 'ignore' });
    child = c;
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      if (c.exitCode !== null) throw new Error(`redis-server exited with code ${c.exitCode} at start (port ${port})`);
      if (await ping(port, tls)) return;
      // it answers within ~10-50 ms of its start: a refused connection costs far less than waiting longer
      await new Promise((r) => setTimeout(r, 10));
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

  try {
    await start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url: `${tls === undefined ? 'redis' : 'rediss'}://127.0.0.1:${port}`,
    tls,
    kill: () => signal('SIGKILL'),
    start,
    stop: async () => {
      // nothing to save (no persistence): a SIGTERM would wait for redis-server's next cron tick, up to 100 ms
      await signal('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
