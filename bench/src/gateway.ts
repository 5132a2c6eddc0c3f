/**
 * Gateways side by side on one federation scenario (four subgraphs, a deeply nested query):
 * stock @apollo/gateway (the baseline), Hive Gateway and Linli's, plus the same graph with no
 * gateway. Interleaved rounds, one run, ratios to the baseline. Usage:
 *   npm run bench:gateway [-- --seconds 8 --warmup 2 --rounds 2 --connections 50 --targets direct,apollo,hive,hive:2,linli,linli:2
 *                            --queries heavy,light --cpu-prof-dir /tmp/prof --communities 1,3,10 --listings 30]
 * then Linli's own scenario: the listings query over 1, 3 and 10 community instances
 * (`--communities none` skips it; it needs PostgreSQL: DATABASE_URL or local 5432).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { runCommunitiesBench } from './gateway/communities.js';
import { runGatewayBench } from './gateway/harness.js';
import { QUERIES, type QueryName } from './gateway/scenario/queries.js';
import { formatSpreadTable, formatTable, summarise } from './gateway/table.js';
import { parseTargets, targetKey, targetLabel } from './gateway/targets.js';

// The federation this starts (communities, exchange, gateway) runs as deployed: the image sets
// NODE_ENV=production (infra/deploy/Dockerfile), which drops graphql-js's development checks.
process.env.NODE_ENV = 'production';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    targets: { type: 'string', default: 'direct,apollo,hive,hive:2,linli,linli:2' },
    queries: { type: 'string', default: 'heavy,light' },
    'cpu-prof-dir': { type: 'string' },
    communities: { type: 'string', default: '1,3,10' },
    listings: { type: 'string', default: '30' },
  },
});
const targets = values.targets === 'none' ? [] : parseTargets(values.targets);
const queries = values.queries.split(',').map((q) => {
  if (!(q in QUERIES)) throw new Error(`--queries: one of ${Object.keys(QUERIES).join(', ')}`);
  return q as QueryName;
});
const options = {
  targets,
  queries,
  connections: Number(values.connections),
  seconds: Number(values.seconds),
  warmupSeconds: Number(values.warmup),
  rounds: Number(values.rounds),
  profileDir: values['cpu-prof-dir'],
};
console.log(`${new Date().toISOString()} · node ${process.version} · ${availableParallelism()} × ${cpus()[0]?.model ?? 'cpu'} · ${(totalmem() / 2 ** 30).toFixed(1)} GiB`);
console.log(`${options.connections} connections · ${options.rounds} rounds × ${options.warmupSeconds} s warm-up + ${options.seconds} s per server and query`);
// `--targets none`: only Linli's own scenario below.
const report = targets.length ? await runGatewayBench({ ...options, log: (line) => console.log(line) }) : { checks: [], measurements: [] };
if (targets.length) {
  const labels = Object.fromEntries(targets.map((t) => [targetKey(t), targetLabel(t)]));
  const rows = summarise(report);
  console.log('');
  console.log(formatTable(rows, labels));
  console.log('');
  for (const query of queries) {
    const rps = (target: string) => rows.find((r) => r.query === query && r.target === target)?.requestsPerSecond;
    const linli = targets.filter((t) => t.kind === 'linli').map(targetKey);
    for (const l of linli) {
      const parts = [`${query}: ${labels[l]} ÷ stock = ${rows.find((r) => r.query === query && r.target === l)?.ratio?.toFixed(2) ?? '—'} (goal ≥ 2)`];
      for (const h of targets.filter((t) => t.kind === 'hive').map(targetKey)) {
        const ratio = (rps(l) ?? 0) / (rps(h) ?? Infinity);
        parts.push(`÷ ${labels[h]} = ${ratio.toFixed(2)} (goal ≥ 1)`);
      }
      console.log(parts.join(' · '));
    }
  }
}
if (values.communities !== 'none') {
  const spreads = values.communities.split(',').map(Number);
  console.log('');
  console.log(`Linli: listings(first: ${values.listings}) with each listing's resource from its community, over ${spreads.join(' / ')} communities`);
  const communities = await runCommunitiesBench({
    spreads,
    listingsPerSpread: Number(values.listings),
    connections: Math.min(options.connections, 20),
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
    rounds: options.rounds,
    log: (line) => console.log(line),
  });
  console.log('');
  console.log(formatSpreadTable(communities.measurements, communities.complete));
  if (Object.values(communities.complete).some((ok) => !ok)) process.exitCode = 1;
}
if (report.checks.some((c) => !c.correct)) {
  console.log('Some servers answered differently from the subgraphs: see above.');
  process.exitCode = 1;
}
