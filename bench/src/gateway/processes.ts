import { SOURCE_FLAGS } from '@linli/infra/services';
import { repoRoot } from '@linli/infra/paths';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** A server of the benchmark, in a process of its own; stopped by its PID. */
export interface BenchProcess {
  name: string;
  pid: number;
  url: string;
  /** Resident memory of the process and its children (workers), in bytes. */
  rssBytes(): number;
  /** CPU time the process and its children have used so far, in milliseconds. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export interface ProcessSpec {
  name: string;
  /** Node arguments after the node binary, e.g. a script and its flags. */
  args: string[];
  /** The GraphQL endpoint; ready once it answers `{ __typename }`. */
  url: string;
  startTimeoutMs?: number;
}

/** Our TypeScript entries run from source, without source maps (they slow every stack trace). */
export const TS_FLAGS = SOURCE_FLAGS.filter((flag) => flag !== '--enable-source-maps');

export async function startProcess(spec: ProcessSpec): Promise<BenchProcess> {
  const child = spawn(process.execPath, spec.args, {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (!pid) throw new Error(`${spec.name} did not start`);
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      tail.push(chunk);
      if (tail.length > 20) tail.shift();
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await Promise.race([
      waitUntilAnswering(spec.url, spec.startTimeoutMs ?? 60_000),
      exited.then(() => {
        throw new Error(`${spec.name} exited before it was ready:\n${tail.join('')}`);
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { name: spec.name, pid, url: spec.url, rssBytes: () => treeRss(pid), cpuMs: () => treeCpuMs(pid), stop };
}

async function waitUntilAnswering(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
        signal: AbortSignal.timeout(2_000),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function treeRss(pid: number): number {
  return sumOverTree(pid, (current) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${current}/status`, 'utf8'))?.[1] ?? 0) * 1024);
}

/** user + system time; /proc counts it in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
export function treeCpuMs(pid: number): number {
  return sumOverTree(pid, (current) => {
    // The command name may hold spaces: count fields after its closing parenthesis.
    const fields = readFileSync(`/proc/${current}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10;
  });
}

function sumOverTree(pid: number, read: (pid: number) => number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const current = stack.pop()!;
    try {
      total += read(current);
      for (const task of readdirSync(`/proc/${current}/task`)) {
        const children = readFileSync(`/proc/${current}/task/${task}/children`, 'utf8').trim();
        if (children) stack.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // gone
    }
  }
  return total;
}
