import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** pgbench from PATH or the Debian PostgreSQL packages; null when neither has it. */
export function findPgbench(): string | null {
  try {
    return execFileSync('which', ['pgbench'], { encoding: 'utf8' }).trim() || null;
  } catch {
    const root = '/usr/lib/postgresql';
    if (!existsSync(root)) return null;
    for (const version of readdirSync(root).sort().reverse()) {
      const candidate = join(root, version, 'bin', 'pgbench');
      if (existsSync(candidate)) return candidate;
    }
    return null;
  }
}

/** Runs a custom pgbench script for `seconds` with `clients` connections; returns TPS. */
export function pgbenchTps(pgbench: string, url: string, script: string, options: { clients: number; seconds: number }): number {
  const dir = mkdtempSync(join(tmpdir(), 'linli-pgbench-'));
  const file = join(dir, 'script.sql');
  writeFileSync(file, script);
  const out = execFileSync(
    pgbench,
    ['--no-vacuum', '-n', '-c', String(options.clients), '-j', '2', '-T', String(options.seconds), '-f', file, url],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const match = /tps = ([\d.]+)/.exec(out);
  if (!match) throw new Error(`pgbench printed no tps:\n${out}`);
  return Number(match[1]);
}
