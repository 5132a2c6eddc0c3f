import { createRequire } from 'node:module';
import { freePort } from '@linli/infra/ports';
import { startProcess, TS_FLAGS, type BenchProcess } from './processes.js';

/** What answers the benchmark's queries: no gateway (direct), or one of the three gateways. */
export type TargetKind = 'direct' | 'apollo' | 'hive' | 'linli';

export interface TargetSpec {
  kind: TargetKind;
  /** Processes sharing the port (Hive's --fork, Linli's --workers). Default 1. */
  processes: number;
}

export const TARGET_LABELS: Record<TargetKind, string> = {
  direct: 'direct (one process, no gateway)',
  apollo: 'stock @apollo/gateway',
  hive: 'Hive Gateway',
  linli: 'Linli gateway',
};

export function targetLabel(spec: TargetSpec): string {
  return spec.processes > 1 ? `${TARGET_LABELS[spec.kind]} ×${spec.processes}` : TARGET_LABELS[spec.kind];
}

export function targetKey(spec: TargetSpec): string {
  return spec.processes > 1 ? `${spec.kind}:${spec.processes}` : spec.kind;
}

/** `linli`, `hive:2` … as given on the command line. */
export function parseTargets(list: string): TargetSpec[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [kind, processes = '1'] = entry.split(':');
      if (!kind || !(kind in TARGET_LABELS)) throw new Error(`unknown target "${entry}": one of ${Object.keys(TARGET_LABELS).join(', ')} (optionally :processes)`);
      if (kind === 'direct' || kind === 'apollo') {
        if (processes !== '1') throw new Error(`${kind} runs as one process`);
      }
      const n = Number(processes);
      if (!Number.isInteger(n) || n < 1) throw new Error(`"${entry}": processes must be a positive integer`);
      return { kind: kind as TargetKind, processes: n };
    });
}

const require = createRequire(import.meta.url);

/**
 * Starts one target over the composed supergraph (`direct` ignores it). With `profileDir`,
 * our gateways' processes write a V8 CPU profile there when they stop (`node --cpu-prof`).
 */
export async function startTarget(spec: TargetSpec, supergraphFile: string, profileDir?: string): Promise<BenchProcess> {
  const port = await freePort();
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const url = `http://127.0.0.1:${port}/graphql`;
  const name = targetKey(spec);
  const server = (file: string) => new URL(`./servers/${file}`, import.meta.url).pathname;
  switch (spec.kind) {
    case 'direct':
      return startProcess({ name, url, args: [...TS_FLAGS, server('subgraph.ts'), '--name', 'direct', '--port', String(port)] });
    case 'apollo':
      return startProcess({ name, url, args: [...profile, ...TS_FLAGS, server('apollo-stock.ts'), '--supergraph', supergraphFile, '--port', String(port)] });
    case 'linli':
      return startProcess({
        name,
        url,
        args: [...profile, ...TS_FLAGS, server('linli.ts'), '--supergraph', supergraphFile, '--port', String(port), '--workers', String(spec.processes)],
      });
    case 'hive': {
      // The gateway as shipped: its own CLI, from npm.
      const bin = require.resolve('@graphql-hive/gateway/package.json').replace(/package\.json$/, 'dist/bin.js');
      return startProcess({
        name,
        url,
        args: [bin, 'supergraph', supergraphFile, '--host', '127.0.0.1', '--port', String(port), '--fork', String(spec.processes)],
      });
    }
  }
}
