import { describe, expect, it } from 'vitest';
import { runGatewayBench } from './harness.js';
import { summarise } from './table.js';
import { parseTargets } from './targets.js';

describe('gateway benchmark harness (smoke: a few requests per server)', () => {
  it('serves the heavy and light queries through every gateway (Linli also on two workers) with the subgraphs’ own data', async () => {
    const report = await runGatewayBench({
      targets: parseTargets('direct,apollo,hive,linli,linli:2'),
      queries: ['heavy', 'light'],
      connections: 2,
      seconds: 1,
      warmupSeconds: 0,
      rounds: 1,
      requests: 6,
    });

    expect(report.checks.filter((c) => !c.correct)).toEqual([]);
    expect(report.checks).toHaveLength(10);
    const rows = summarise(report);
    expect(rows.map((r) => `${r.query} ${r.target}`).sort()).toEqual(
      ['heavy apollo', 'heavy direct', 'heavy hive', 'heavy linli', 'heavy linli:2', 'light apollo', 'light direct', 'light hive', 'light linli', 'light linli:2'],
    );
    for (const row of rows) {
      expect(row.errors, `${row.query} ${row.target}`).toBe(0);
      expect(row.requestsPerSecond).toBeGreaterThan(0);
      expect(row.peakRssMb).toBeGreaterThan(10);
    }
    expect(rows.find((r) => r.query === 'heavy' && r.target === 'apollo')?.ratio).toBe(1);
  }, 240_000);

  it('names each target and how many processes it runs', () => {
    expect(parseTargets('linli:2, hive')).toEqual([
      { kind: 'linli', processes: 2 },
      { kind: 'hive', processes: 1 },
    ]);
    expect(() => parseTargets('apollo:2')).toThrow(/one process/);
    expect(() => parseTargets('router')).toThrow(/unknown target/);
  });
});
