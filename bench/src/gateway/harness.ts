import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@linli/infra/ports';
import { load, type LoadSample } from './load.js';
import { startProcess, TS_FLAGS, type BenchProcess } from './processes.js';
import { QUERIES, type QueryName } from './scenario/queries.js';
import { SUBGRAPH_NAMES, type SubgraphName } from './scenario/subgraphs.js';
import { composeSupergraph } from './supergraph.js';
import { startTarget, targetKey, type TargetSpec } from './targets.js';

export interface GatewayBenchOptions {
  targets: TargetSpec[];
  queries: QueryName[];
  /** Open connections of the load generator (the public benchmark's 50 virtual users). */
  connections: number;
  /** Measured seconds per target, query and round. */
  seconds: number;
  /** Unmeasured seconds before each measurement (JIT, pools, caches). */
  warmupSeconds: number;
  /** Rounds; each runs every target once per query, in turn (A B C A B C …). */
  rounds: number;
  /** A fixed number of requests per measurement instead of `seconds` (smoke runs). */
  requests?: number;
  /** Write CPU profiles of the stock and Linli gateways here (`node --cpu-prof`). */
  profileDir?: string;
  log?: (line: string) => void;
}

export interface TargetCheck {
  target: string;
  query: QueryName;
  /** The answer equals the direct server's, field for field. */
  correct: boolean;
}

export interface Measurement extends LoadSample {
  target: string;
  query: QueryName;
  round: number;
}

export interface GatewayBenchReport {
  checks: TargetCheck[];
  measurements: Measurement[];
}

/**
 * Starts the scenario's four subgraphs and every target as processes of their own, checks
 * each target's answers against the direct server's, then loads them in turn, round after
 * round, so that the machine's drift touches every target alike. Stops everything it started.
 */
export async function runGatewayBench(options: GatewayBenchOptions): Promise<GatewayBenchReport> {
  const log = options.log ?? (() => {});
  const started: BenchProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'linli-bench-gateway-'));
  try {
    // Every start settles before anything is given up: one that fails early must not leave
    // the others, still starting, running after `finally` has stopped what it knew of.
    const starts = await Promise.allSettled(
      SUBGRAPH_NAMES.map(async (name) => {
        const port = await freePort();
        const running = await startProcess({
          name,
          url: `http://127.0.0.1:${port}/graphql`,
          args: [...TS_FLAGS, new URL('./servers/subgraph.ts', import.meta.url).pathname, '--name', name, '--port', String(port)],
        });
        started.push(running);
        return [name, running.url] as const;
      }),
    );
    const failed = starts.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const subgraphs = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const supergraphFile = join(dir, 'supergraph.graphql');
    writeFileSync(supergraphFile, composeSupergraph(Object.fromEntries(subgraphs) as Record<SubgraphName, string>));

    const direct = await startTarget({ kind: 'direct', processes: 1 }, supergraphFile);
    started.push(direct);
    const targets = new Map<string, BenchProcess>();
    for (const spec of options.targets) {
      const key = targetKey(spec);
      if (key === 'direct') targets.set(key, direct);
      else {
        log(`starting ${key}`);
        const running = await startTarget(spec, supergraphFile, options.profileDir);
        started.push(running);
        targets.set(key, running);
      }
    }

    const checks: TargetCheck[] = [];
    for (const query of options.queries) {
      const expected = await answer(direct.url, QUERIES[query]);
      for (const [target, running] of targets) {
        const got = await answer(running.url, QUERIES[query]);
        const correct = got === expected;
        checks.push({ target, query, correct });
        if (!correct) log(`${target} answered ${query} differently from the subgraphs: ${got.slice(0, 300)}`);
      }
    }

    const measurements: Measurement[] = [];
    const order = [...targets.keys()];
    for (let round = 1; round <= options.rounds; round++) {
      for (const query of options.queries) {
        for (const target of order) {
          const running = targets.get(target)!;
          if (options.warmupSeconds > 0 && !options.requests) {
            await load(running, QUERIES[query], { connections: options.connections, seconds: options.warmupSeconds });
          }
          const sample = await load(running, QUERIES[query], { connections: options.connections, seconds: options.seconds, requests: options.requests });
          measurements.push({ target, query, round, ...sample });
          log(`round ${round} ${query.padEnd(5)} ${target.padEnd(8)} ${sample.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${sample.p50Ms} ms  p99 ${sample.p99Ms} ms  errors ${sample.errors}`);
        }
      }
      // Rotate, so no target always follows the same one.
      order.push(order.shift()!);
    }
    return { checks, measurements };
  } finally {
    await Promise.all(started.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The `data` of an answer, as canonical JSON; errors make it differ from the reference. */
async function answer(url: string, query: string): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  return JSON.stringify(body.errors ? { status: res.status, errors: body.errors, data: body.data } : body.data);
}
