import { Router } from 'express';
import type { Logger } from '../logger.js';
import type { ServiceMetrics } from './metrics.js';

/** One thing a service needs before it can take traffic (its database, Redis, a loaded schema). */
export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; throws (or returns false) when it does not. */
  check(): Promise<boolean | void> | boolean | void;
}

export type CheckResult = 'ok' | 'failed' | 'timed out';

export interface Readiness {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

/** Runs every check in parallel, each bounded by `timeoutMs`. */
export async function checkReadiness(checks: readonly ReadinessCheck[], timeoutMs: number, logger?: Logger): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async ({ name, check }): Promise<[string, CheckResult]> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), timeoutMs)));
      try {
        const outcome = await Promise.race([Promise.resolve().then(check), late]);
        return [name, outcome === 'timed out' ? 'timed out' : outcome === false ? 'failed' : 'ok'];
      } catch (error) {
        // The detail goes to the log only: a probe's answer may be seen outside the cluster.
        logger?.warn({ check: name, err: error instanceof Error ? error.message : String(error) }, 'readiness check failed');
        return [name, 'failed'];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every(([, result]) => result === 'ok'), checks: Object.fromEntries(results) };
}

export interface OperabilityRoutesOptions {
  service: string;
  checks: readonly ReadinessCheck[];
  metrics: ServiceMetrics;
  logger?: Logger;
  /** How long one readiness check may take before it counts as failed. Default 1000. */
  checkTimeoutMs?: number;
}

/**
 * The probes and the scrape endpoint every Linli service answers:
 * `GET /healthz` (the process serves HTTP; no dependency is asked, so a database outage does
 * not get the process restarted), `GET /readyz` (every check passes; 503 naming the ones that
 * failed) and `GET /metrics` (Prometheus text).
 */
export function operabilityRoutes(options: OperabilityRoutesOptions): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.service });
  });
  router.get('/readyz', async (_req, res) => {
    const { ready, checks } = await checkReadiness(options.checks, options.checkTimeoutMs ?? 1000, options.logger);
    const failed = Object.entries(checks)
      .filter(([, result]) => result !== 'ok')
      .map(([name]) => name);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', service: options.service, checks, ...(ready ? {} : { failed }) });
  });
  router.get('/metrics', async (_req, res) => {
    const { contentType, body } = await options.metrics.text();
    res.type(contentType).send(body);
  });
  return router;
}
