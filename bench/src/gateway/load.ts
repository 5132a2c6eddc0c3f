import autocannon from 'autocannon';
import type { BenchProcess } from './processes.js';

export interface LoadOptions {
  connections: number;
  /** Seconds of load; ignored when `requests` is set. */
  seconds: number;
  /** A fixed number of requests instead (smoke runs). */
  requests?: number;
  /** The request body; default `{ query }`. */
  body?: string;
}

export interface LoadSample {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors, time-outs and non-2xx answers. */
  errors: number;
  /** Highest resident memory of the server (and its workers) seen during the load. */
  peakRssBytes: number;
  /** The server's CPU time (all its processes) per answered request. */
  cpuMsPerRequest: number;
}

/** Fixed connections, closed loop: each connection sends its next request when the last is answered. */
export async function load(target: BenchProcess, query: string, options: LoadOptions): Promise<LoadSample> {
  let peakRssBytes = target.rssBytes();
  const sampler = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, target.rssBytes());
  }, 250);
  const cpuBefore = target.cpuMs();
  try {
    const result = await autocannon({
      url: target.url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: options.body ?? JSON.stringify({ query }),
      connections: options.connections,
      timeout: 10,
      ...(options.requests ? { amount: options.requests } : { duration: options.seconds }),
    });
    peakRssBytes = Math.max(peakRssBytes, target.rssBytes());
    const answered = result['2xx'] + result.non2xx;
    return {
      requestsPerSecond: answered / Math.max(result.duration, 0.001),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
      peakRssBytes,
      cpuMsPerRequest: (target.cpuMs() - cpuBefore) / Math.max(answered, 1),
    };
  } finally {
    clearInterval(sampler);
  }
}
