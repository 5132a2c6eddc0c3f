import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('gateway workers', () => {
  it('replace workers that die at start-up more and more slowly, then stop with exit code 1 instead of looping', async () => {
    const script = fileURLToPath(new URL('./test/failing-workers.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=@linli/source', '--import', '@swc-node/register/esm-register', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const log = stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string; delayMs?: number });
    const replaced = log.filter((l) => l.msg === 'gateway worker died; starting another');
    expect(code).toBe(1);
    expect(replaced.map((l) => l.delayMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(log.at(-1)?.msg).toBe('gateway workers keep dying at start-up; stopping');
    // Two workers died at once, then one at a time after each wait: not a tight loop.
    expect(Date.now() - started).toBeGreaterThan(3000);
  }, 60_000);
});
