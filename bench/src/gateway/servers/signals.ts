/** Benchmark servers are stopped by the harness with SIGTERM; close what can be closed, then go. */
export function stopOnSignals(close: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      const timer = setTimeout(() => process.exit(0), 2_000);
      timer.unref();
      void close().finally(() => process.exit(0));
    });
  }
}
