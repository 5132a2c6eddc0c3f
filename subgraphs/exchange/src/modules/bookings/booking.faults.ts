import type { Logger } from 'pino';
import type { SagaFaults } from './booking.saga.js';

/**
 * Parses SAGA_FAULT (`crash-after:PLACE_HOLD`, `pause-after:CONFIRM:3000`). Crash-recovery
 * tests use it to stop the exchange, or give themselves time to stop a community, at an
 * exact point of the saga. The crash is a SIGKILL of this process: no cleanup runs.
 */
export function sagaFaults(spec: string | null, logger: Logger): SagaFaults | undefined {
  if (!spec) return undefined;
  const [action, rest] = spec.split('-after:') as [string, string];
  const [step, ms] = rest.split(':');
  logger.warn({ fault: spec }, 'saga fault injection is on (tests only)');
  return {
    async after(current) {
      if (current !== step) return;
      if (action === 'crash') process.kill(process.pid, 'SIGKILL');
      else await new Promise((resolve) => setTimeout(resolve, Number(ms ?? 1_000)));
    },
  };
}
