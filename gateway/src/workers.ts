import cluster from 'node:cluster';

const QUICK_DEATH_MS = 10_000;
const MAX_QUICK_DEATHS = 5;

/**
 * Runs the gateway in `workers` processes sharing one port (node:cluster): the gateway is
 * CPU-bound (query plans, result shaping, JSON), and one Node process uses one core. Each
 * worker is a whole gateway; what they share lives where several gateways already share it
 * (Redis for live events and rate limits). With 1, the gateway runs in this process.
 * The primary only supervises: it replaces a worker that dies, and stops them all on
 * SIGINT / SIGTERM.
 */
export async function serveOnWorkers(workers: number, serve: () => Promise<() => Promise<void>>): Promise<void> {
  if (workers <= 1 || cluster.isWorker) {
    const close = await serve();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close().then(() => process.exit(0)));
    return;
  }
  let stopping = false;
  // A worker that dies soon after it started (bad config, an unreachable dependency) would die
  // again at once: replacements wait longer each time, and after enough the primary gives up.
  const bornAt = new Map<number, number>();
  let quickDeaths = 0;
  const fork = () => {
    const worker = cluster.fork();
    bornAt.set(worker.id, Date.now());
  };
  for (let i = 0; i < workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const lived = Date.now() - (bornAt.get(worker.id) ?? 0);
    bornAt.delete(worker.id);
    quickDeaths = lived < QUICK_DEATH_MS ? quickDeaths + 1 : 0;
    if (quickDeaths >= MAX_QUICK_DEATHS) {
      console.error(JSON.stringify({ level: 'fatal', msg: 'gateway workers keep dying at start-up; stopping', pid: worker.process.pid, code, signal }));
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = 1;
      return;
    }
    const delayMs = quickDeaths === 0 ? 0 : Math.min(30_000, 1000 * 2 ** (quickDeaths - 1));
    console.error(JSON.stringify({ level: 'error', msg: 'gateway worker died; starting another', pid: worker.process.pid, code, signal, delayMs }));
    setTimeout(fork, delayMs);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      const running = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
      void Promise.all(running.map((w) => new Promise<void>((resolve) => (w.once('exit', () => resolve()), w.process.kill('SIGTERM'))))).then(() => process.exit(0));
    });
  }
}
