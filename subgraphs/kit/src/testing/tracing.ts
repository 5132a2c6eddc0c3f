import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../observability/tracing.js';

export type { ReadableSpan };

export interface CapturedSpans {
  /** Spans ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  close(): Promise<void>;
}

/** Turns tracing on for this test file's process, keeping every span in memory. */
export function captureSpans(serviceName = 'linli-test'): CapturedSpans {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({ serviceName, exporter });
  return { spans: () => exporter.getFinishedSpans(), close: () => tracing.shutdown() };
}
