import type { SpreadMeasurement } from './communities.js';
import type { GatewayBenchReport, Measurement } from './harness.js';
import type { QueryName } from './scenario/queries.js';

export interface SummaryRow {
  query: QueryName;
  target: string;
  /** Median over rounds. */
  requestsPerSecond: number;
  /** Median over rounds of (this target ÷ the baseline in the same round); null without a baseline. */
  ratio: number | null;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  peakRssMb: number;
  cpuMsPerRequest: number;
  correct: boolean;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** One row per query and target; ratios against `baseline` (stock @apollo/gateway). */
export function summarise(report: GatewayBenchReport, baseline = 'apollo'): SummaryRow[] {
  const groups = new Map<string, Measurement[]>();
  for (const m of report.measurements) {
    const key = `${m.query}\u0000${m.target}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const rows: SummaryRow[] = [];
  for (const samples of groups.values()) {
    const { query, target } = samples[0]!;
    const ratios = samples.flatMap((s) => {
      const base = report.measurements.find((b) => b.query === query && b.target === baseline && b.round === s.round);
      return base && base.requestsPerSecond > 0 ? [s.requestsPerSecond / base.requestsPerSecond] : [];
    });
    rows.push({
      query,
      target,
      requestsPerSecond: median(samples.map((s) => s.requestsPerSecond)),
      ratio: ratios.length ? median(ratios) : null,
      p50Ms: median(samples.map((s) => s.p50Ms)),
      p99Ms: median(samples.map((s) => s.p99Ms)),
      errors: samples.reduce((sum, s) => sum + s.errors, 0),
      peakRssMb: Math.max(...samples.map((s) => s.peakRssBytes)) / 1024 / 1024,
      cpuMsPerRequest: median(samples.map((s) => s.cpuMsPerRequest)),
      correct: report.checks.filter((c) => c.query === query && c.target === target).every((c) => c.correct),
    });
  }
  return rows;
}

/** A Markdown table, as printed and as pasted into RESULTS.md. */
export function formatTable(rows: SummaryRow[], labels: Record<string, string>): string {
  const lines = [
    '| query | server | req/s | ÷ stock | p50 ms | p99 ms | errors | RSS MB | CPU ms/req | same answer |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.query} | ${labels[r.target] ?? r.target} | ${r.requestsPerSecond.toFixed(0)} | ${r.ratio === null ? '—' : r.ratio.toFixed(2)} | ${r.p50Ms.toFixed(0)} | ${r.p99Ms.toFixed(0)} | ${r.errors} | ${r.peakRssMb.toFixed(0)} | ${r.cpuMsPerRequest.toFixed(2)} | ${r.correct ? 'yes' : 'NO'} |`,
    );
  }
  return lines.join('\n');
}

/** Throughput over S communities ÷ over one, median of same-round ratios. */
export function formatSpreadTable(measurements: SpreadMeasurement[], complete: Record<number, boolean>): string {
  const spreads = [...new Set(measurements.map((m) => m.communities))];
  const base = Math.min(...spreads);
  const lines = [
    `| listings from | req/s | ÷ ${base} community | p50 ms | p99 ms | errors | gateway RSS MB | gateway CPU ms/req | complete |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const spread of spreads) {
    const samples = measurements.filter((m) => m.communities === spread);
    const ratios = samples.flatMap((s) => {
      const b = measurements.find((m) => m.communities === base && m.round === s.round);
      return b && b.requestsPerSecond > 0 ? [s.requestsPerSecond / b.requestsPerSecond] : [];
    });
    lines.push(
      `| ${spread} ${spread === 1 ? 'community' : 'communities'} | ${median(samples.map((s) => s.requestsPerSecond)).toFixed(0)} | ${ratios.length ? median(ratios).toFixed(2) : '—'} | ${median(samples.map((s) => s.p50Ms)).toFixed(0)} | ${median(samples.map((s) => s.p99Ms)).toFixed(0)} | ${samples.reduce((n, s) => n + s.errors, 0)} | ${(Math.max(...samples.map((s) => s.peakRssBytes)) / 2 ** 20).toFixed(0)} | ${median(samples.map((s) => s.cpuMsPerRequest)).toFixed(2)} | ${complete[spread] ? 'yes' : 'NO'} |`,
    );
  }
  return lines.join('\n');
}
