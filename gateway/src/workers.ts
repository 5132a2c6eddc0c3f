import cluster from 'node:cluster';

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
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(JSON.stringify({ level: 'error', msg: 'gateway worker died; starting another', pid: worker.process.pid, code, signal }));
    cluster.fork();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      const running = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
      void Promise.all(running.map((w) => new Promise<void>((resolve) => (w.once('exit', () => resolve()), w.process.kill('SIGTERM'))))).then(() => process.exit(0));
    });
  }
}
