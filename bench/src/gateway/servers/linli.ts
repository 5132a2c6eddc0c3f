/**
 * Linli's gateway (gateway/src, the same serving stack `npm start` runs) over the
 * scenario's supergraph: its four plain subgraphs are fetched at their URLs, signed, through
 * the pooled client. `--workers N` runs N processes sharing the port, as GATEWAY_WORKERS does.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createGateway, readConfig, StaticDirectory } from '@linli/gateway';
import { serveOnWorkers } from '@linli/gateway/workers';
import { generateSigningKeys } from '@linli/subgraph-kit/identity';

const { values } = parseArgs({ options: { supergraph: { type: 'string' }, port: { type: 'string' }, workers: { type: 'string', default: '1' } } });
if (!values.supergraph || !values.port) throw new Error('--supergraph <file> and --port <n> are required');
const supergraphSdl = readFileSync(values.supergraph, 'utf8');
const prefix = `bench-${randomBytes(4).toString('hex')}`;
// Each worker runs this module afresh, so each signs with a key of its own: the scenario's
// subgraphs do not check signatures (the communities scenario's do, with the real keys).
const signingKey = generateSigningKeys().privateKeyPem;

// REDIS_URL and the like come from the environment, as for `npm start`.
const config = readConfig({
  ...process.env,
  PORT: values.port,
  // No exchange in this scenario; the community directory is fixed and empty.
  EXCHANGE_URL: 'http://127.0.0.1:1/graphql',
  JWT_SECRET: randomBytes(32).toString('base64url'),
  GATEWAY_SIGNING_KEY: signingKey,
  LOG_LEVEL: 'warn',
  EVENT_CHANNEL_PREFIX: prefix,
  // One load generator is one client address: an allowance it cannot exhaust keeps the
  // limiter's cost (a Redis round trip per request) in the figures without refusing it.
  RATE_LIMIT_PER_IP: '1000000000',
  LIMITS_REDIS_PREFIX: prefix,
});
await serveOnWorkers(Number(values.workers), async () => {
  const gateway = await createGateway(config, { supergraphSdl, directory: new StaticDirectory({}) });
  return () => gateway.close();
});
