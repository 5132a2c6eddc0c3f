/**
 * Live fan-out: N idle graphql-ws subscribers on one gateway, one event, and how fast every
 * subscriber has its payload (resolved through the federation), next to one resolution of
 * the same query over HTTP measured in the same run. Also the gateway's memory per
 * subscriber and the shared-resolution ratio (resolutions per event ÷ subscribers).
 * Usage: npm run bench:subscriptions [-- --subscribers 10000 --batch 500]
 */
import 'reflect-metadata';
import { LiveEventType, RedisEventPublisher } from '@linli/subgraph-kit/events';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createListedResource } from '@linli/infra/test/bookings';
import { startE2E } from '@linli/infra/test/e2e';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '500' },
  },
});
const N = Number(values.subscribers);
const BATCH = Number(values.batch);
const QUERY = `subscription { listingPublished { id title resource { name } community { name } } }`;
const HTTP_QUERY = `query($id: ID!) { listingPublished: listing(id: $id) { id title resource { name } community { name } } }`;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

interface Metrics {
  resolutions: number;
  matched: number;
  deliveries: number;
  subscriptions: number;
  memory: { rssBytes: number; heapUsedBytes: number };
}

function vmRssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

/** One idle subscriber speaking graphql-transport-ws; resolves `received` with the arrival time of its first payload. */
function subscriber(url: string): Promise<{ socket: WebSocket; received: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    let onPayload: (at: number) => void = () => {};
    const received = new Promise<number>((r) => (onPayload = r));
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { type: string };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
        resolve({ socket, received });
      } else if (message.type === 'next') {
        onPayload(performance.now());
      } else if (message.type === 'error') {
        reject(new Error(`subscription refused: ${String(raw)}`));
      }
    });
  });
}

const e2e = await startE2E('bench_live', {
  gatewayEnv: {
    LIVE_MAX_CONNECTIONS_PER_IP: String(N + 100),
    LIVE_MAX_SUBSCRIPTIONS_PER_USER: String(N + 100),
    LIVE_KEEPALIVE_MS: '60000',
  },
});
const sockets: WebSocket[] = [];
try {
  const gatewayUrl = e2e.federation.gatewayUrl;
  const wsUrl = gatewayUrl.replace(/^http/, 'ws');
  const metrics = async (): Promise<Metrics> => (await (await fetch(new URL('/live/metrics', gatewayUrl))).json()) as Metrics;
  const gatewayPid = e2e.federation.service('gateway')!.pid;
  const listed = await createListedResource(e2e, 'qibao-b', { name: '基准测试订阅场地', capacity: 1, price: 0, requiresApproval: false });

  // Baseline: the query each subscriber's payload needs, once, over HTTP.
  const http: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    const res = await e2e.gql(HTTP_QUERY, { id: listed.listingId });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    http.push(performance.now() - t);
  }
  http.sort((a, b) => a - b);

  const idle = await metrics();
  const rssBefore = vmRssBytes(gatewayPid);
  const received: Array<Promise<number>> = [];
  const opening = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    const batch = await Promise.all(Array.from({ length: Math.min(BATCH, N - i) }, () => subscriber(wsUrl)));
    for (const s of batch) {
      sockets.push(s.socket);
      received.push(s.received);
    }
  }
  for (;;) {
    if ((await metrics()).subscriptions >= idle.subscriptions + N) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const openSeconds = (performance.now() - opening) / 1000;
  await new Promise((r) => setTimeout(r, 2_000)); // let the gateway settle before measuring memory
  const open = await metrics();
  const rssAfter = vmRssBytes(gatewayPid);

  const publisher = new RedisEventPublisher(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', undefined, { channelPrefix: e2e.eventChannelPrefix });
  await publisher.ready();
  const published = performance.now();
  await publisher.publish({
    type: LiveEventType.LISTING_PUBLISHED,
    communityId: 'qibao-b',
    subjectId: listed.listingId,
    occurredAt: new Date().toISOString(),
    data: { kind: 'VENUE', resourceId: listed.resourceId },
  });
  const arrivals = await Promise.race([
    Promise.all(received),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not every subscriber received the event within 120 s')), 120_000)),
  ]);
  await publisher.close();
  const latencies = arrivals.map((at) => at - published).sort((a, b) => a - b);
  const after = await metrics();
  const resolutions = after.resolutions - open.resolutions;
  const matched = after.matched - open.matched;

  console.log(`\nlive fan-out: ${N} idle graphql-ws subscribers on one gateway (one connection each), one event`);
  console.log(`  opened in ${openSeconds.toFixed(1)} s`);
  console.log(`  delivery latency to all ${N}: p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, last ${latencies.at(-1)!.toFixed(1)} ms`);
  console.log(`  baseline, the same query once over HTTP: p50 ${pct(http, 50).toFixed(1)} ms → p99 delivery ÷ one query = ${(pct(latencies, 99) / pct(http, 50)).toFixed(1)}×`);
  console.log(`  gateway memory: RSS ${mib(rssBefore)} → ${mib(rssAfter)} MiB (${((rssAfter - rssBefore) / N / 1024).toFixed(1)} KiB per subscriber), heap ${mib(idle.memory.heapUsedBytes)} → ${mib(open.memory.heapUsedBytes)} MiB (${((open.memory.heapUsedBytes - idle.memory.heapUsedBytes) / N / 1024).toFixed(1)} KiB per subscriber)`);
  console.log(`  shared resolution: ${resolutions} resolution(s) for ${matched} subscribers = ratio ${(resolutions / matched).toExponential(2)}`);
} finally {
  for (const s of sockets) s.terminate();
  await e2e.close();
}
