import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { repoRoot } from './paths.js';

export interface ServiceSpec {
  /** Unique name, also the log prefix (e.g. `community:qibao-a`). */
  name: string;
  /** Entry module relative to the repository root, e.g. `subgraphs/community/src/main.ts`. */
  entry: string;
  env: Record<string, string>;
  /** Polled until it answers 200. */
  healthUrl: string;
}

export interface ServiceProcess {
  name: string;
  pid: number;
  /** Stops the process (SIGTERM, then SIGKILL after `graceMs`) and waits for it to exit. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL, as a crash would: no cleanup runs. Waits for the exit. */
  kill(): Promise<void>;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<number | null>;
}

export interface LaunchOptions {
  /** Where pid files go, so that a later run can stop what a hard-killed run left behind. */
  runDir?: string;
  /** Receives each output line of the service, prefixed by its name. */
  log?: (line: string) => void;
  startTimeoutMs?: number;
}

/**
 * Node flags that run a service's TypeScript source directly: SWC emits the decorator
 * metadata type-graphql and MikroORM need, and the `@linli/source` condition resolves
 * workspace packages to their sources.
 */
export const SOURCE_FLAGS = ['--conditions=@linli/source', '--import', '@swc-node/register/esm-register', '--enable-source-maps'];

/** Starts a service as its own process and resolves once its health check answers. */
export async function startService(spec: ServiceSpec, options: LaunchOptions = {}): Promise<ServiceProcess> {
  // Node refuses --cpu-prof in NODE_OPTIONS; LINLI_CPU_PROF_DIR profiles every service started here.
  const profileDir = process.env.LINLI_CPU_PROF_DIR;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, ...SOURCE_FLAGS, spec.entry], {
    cwd: repoRoot,
    env: { ...process.env, ...spec.env, NODE_ENV: process.env.NODE_ENV ?? 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    options.log?.(`[${spec.name}] ${line}`);
  };
  pipeLines(child, onLine);
  const pid = child.pid;
  if (!pid) throw new Error(`${spec.name} did not start`);
  if (options.runDir) {
    mkdirSync(options.runDir, { recursive: true });
    writeFileSync(`${options.runDir}/${spec.name.replace(/[^a-z0-9-]/gi, '_')}.pid`, `${pid}\n${repoRoot}\n`);
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (graceMs = 5_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    if (options.runDir) rmSync(`${options.runDir}/${spec.name.replace(/[^a-z0-9-]/gi, '_')}.pid`, { force: true });
  };
  try {
    await Promise.race([
      waitForHealth(spec.healthUrl, options.startTimeoutMs ?? 60_000),
      exited.then((code) => {
        throw new Error(`${spec.name} exited with code ${code} before it was ready:\n${tail.join('\n')}`);
      }),
    ]);
  } catch (error) {
    await stop(1_000);
    throw error;
  }
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    if (options.runDir) rmSync(`${options.runDir}/${spec.name.replace(/[^a-z0-9-]/gi, '_')}.pid`, { force: true });
  };
  return { name: spec.name, pid, stop, kill, exited };
}

/** Stops processes a previous, hard-killed run left behind (known by their pid files). */
export function stopLeftovers(runDir: string, log: (line: string) => void = () => {}): void {
  let files: string[];
  try {
    files = readdirSync(runDir).filter((f) => f.endsWith('.pid'));
  } catch {
    return;
  }
  for (const file of files) {
    const [pidText, root] = readFileSync(`${runDir}/${file}`, 'utf8').split('\n');
    const pid = Number(pidText);
    if (root === repoRoot && Number.isInteger(pid) && pid > 0 && isOurs(pid)) {
      log(`stopping ${file.replace(/\.pid$/, '')} left running by an earlier run (pid ${pid})`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(`${runDir}/${file}`, { force: true });
  }
}

/** Only a node process started from this repository is ours to stop. */
function isOurs(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('@swc-node/register') || cmdline.includes(repoRoot);
  } catch {
    return false;
  }
}

export async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function pipeLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        onLine(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
      }
    });
  }
}
