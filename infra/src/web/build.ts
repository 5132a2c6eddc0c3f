import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { repoRoot } from '../paths.js';

/** The web client's package and where its build goes. */
export const webDir = join(repoRoot, 'web');
export const webDistDir = join(webDir, 'dist');
const STAMP = '.build-stamp';

export interface WebBuild {
  distDir: string;
  /** False when the existing build already matched its sources. */
  built: boolean;
  ms: number;
}

/**
 * Builds the web client (codegen, then `vite build`) unless `web/dist` was built from exactly
 * the current sources: the client's files, the supergraph and the lock file, by content hash.
 * A build takes a few seconds, so `npm start` and the browser tests can always call this.
 */
export async function ensureWebBuild(options: { log?: (line: string) => void; force?: boolean } = {}): Promise<WebBuild> {
  const started = Date.now();
  const hash = sourceHash();
  const stampFile = join(webDistDir, STAMP);
  if (!options.force && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === hash) {
    return { distDir: webDistDir, built: false, ms: Date.now() - started };
  }
  options.log?.('正在构建网页客户端… (building the web client…)');
  await run(bin('@graphql-codegen/cli', 'graphql-codegen'), ['--config', 'codegen.ts']);
  // Build beside the served copy and swap, so a running server never sees half a build.
  const staging = join(webDir, `.dist-${process.pid}-${Date.now()}`);
  try {
    await run(bin('vite', 'vite'), ['build', '--outDir', staging, '--emptyOutDir', '--logLevel', 'warn']);
    writeFileSync(join(staging, STAMP), `${hash}\n`);
    const old = `${webDistDir}.old-${process.pid}`;
    if (existsSync(webDistDir)) renameSync(webDistDir, old);
    renameSync(staging, webDistDir);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { distDir: webDistDir, built: true, ms: Date.now() - started };
}

/** What a build is made from; generated code (src/gql) follows from the rest. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  const files = [
    ...walk(webDir, (path) => !/^(node_modules|dist|test-artifacts|e2e|\.turbo|src\/gql)(\/|$)|^\.dist-|^dist\.old-/.test(relative(webDir, path))),
    join(repoRoot, 'schema', 'supergraph.graphql'),
    join(repoRoot, 'package-lock.json'),
  ].sort();
  for (const file of files) {
    hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function walk(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (!keep(path)) continue;
    if (statSync(path).isDirectory()) out.push(...walk(path, keep));
    else out.push(path);
  }
  return out;
}

/** The JS file behind a package's command, run with this Node (no npx, no shell). */
function bin(pkg: string, name: string): string {
  const require = createRequire(join(webDir, 'package.json'));
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
  const entry = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[name];
  if (!entry) throw new Error(`${pkg} has no "${name}" command`);
  return join(manifestPath, '..', entry);
}

function run(script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: webDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`web client build failed (${script} ${args.join(' ')}):\n${output}`))));
  });
}
