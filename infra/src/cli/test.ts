/**
 * `npm test`: the whole suite against a real PostgreSQL (DATABASE_URL, or an embedded one
 * started here) and Redis (REDIS_URL, default local). Typecheck first, then vitest.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { dataDir, repoRoot } from '../paths.js';
import { startPostgres, type PostgresServer } from '../postgres.js';

const REPORT = `${dataDir}/vitest-report.json`;

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname);
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

let postgres: PostgresServer | undefined;
let exitCode = 1;
const stop = async () => {
  await postgres?.stop().catch(() => {});
};
process.once('SIGINT', () => void stop().then(() => process.exit(130)));
process.once('SIGTERM', () => void stop().then(() => process.exit(143)));

try {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!(await reachable(redisUrl))) {
    console.error(`Redis is not reachable at ${redisUrl}: start it (redis-server --daemonize yes) or set REDIS_URL.`);
    process.exit(1);
  }
  postgres = await startPostgres(process.env.DATABASE_URL, { dataDir: `${dataDir}/test-postgres`, port: 54330 });
  console.log(postgres.embedded ? 'PostgreSQL: embedded, port 54330' : 'PostgreSQL: DATABASE_URL');
  const env = { ...process.env, DATABASE_URL: postgres.adminUrl, REDIS_URL: redisUrl, TURBO_TELEMETRY_DISABLED: '1' };

  exitCode = await run('npx', ['turbo', 'run', 'typecheck', '--output-logs=errors-only'], env);
  if (exitCode === 0) {
    rmSync(REPORT, { force: true });
    const vitestArgs = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${REPORT}`, ...process.argv.slice(2)];
    exitCode = await run('npx', vitestArgs, env);
    if (existsSync(REPORT)) {
      const report = JSON.parse(readFileSync(REPORT, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
      console.log(`\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`);
    }
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await stop();
}
process.exit(exitCode);
