import { Redis } from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../config.js';
import { CommunityFleet, startGateway, type GatewayUnderTest } from '../test/harness.js';
import { defaultLimits, type PersistedOperationsOptions } from './options.js';

// Operations the gateway answers itself, so no community is needed.
const PING = 'query Ping { __typename }';
const SCHEMA_NAME = 'query QueryTypeName { __schema { queryType { name } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const fleet = new CommunityFleet();
const opened: GatewayUnderTest[] = [];
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const dir = mkdtempSync(join(tmpdir(), 'linli-persisted-'));

async function gatewayWith(persisted: PersistedOperationsOptions, prefix = `limits-apq-${randomBytes(6).toString('hex')}`): Promise<GatewayUnderTest> {
  const gateway = await startGateway(fleet, { config: { limits: { ...defaultLimits(prefix), persisted } } });
  opened.push(gateway);
  return gateway;
}

interface Body {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

async function post(gateway: GatewayUnderTest, body: Record<string, unknown>): Promise<{ status: number; body: Body }> {
  const res = await fetch(gateway.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Body };
}

const byHash = (hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
const codeOf = (answer: { body: Body }) => answer.body.errors?.[0]?.extensions?.code;

afterAll(async () => {
  await Promise.all(opened.map((g) => g.close()));
  await fleet.close();
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('automatic persisted queries', () => {
  const prefix = `limits-apq-${randomBytes(6).toString('hex')}`;
  let first: GatewayUnderTest;
  let second: GatewayUnderTest;

  beforeAll(async () => {
    first = await gatewayWith({ mode: 'apq', apqTtlSeconds: 120 }, prefix);
    second = await gatewayWith({ mode: 'apq', apqTtlSeconds: 120 }, prefix);
  });

  it('asks for the query of an unknown hash, registers it with the query, then serves the hash alone', async () => {
    const hash = sha256(PING);
    const unknown = await post(first, byHash(hash));
    expect(codeOf(unknown)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(unknown.body.data).toBeUndefined();

    const registered = await post(first, { query: PING, ...byHash(hash) });
    expect(registered.body).toEqual({ data: { __typename: 'Query' } });

    const known = await post(first, byHash(hash));
    expect(known.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('keeps registrations in Redis under the configured prefix and TTL, so every gateway knows them', async () => {
    const hash = sha256(SCHEMA_NAME);
    await post(first, { query: SCHEMA_NAME, ...byHash(hash) });
    const key = `${prefix}:apq:${hash}`;
    // Apollo writes the registration after answering.
    await expect.poll(() => redis.get(key)).toBe(SCHEMA_NAME);
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(120);

    const elsewhere = await post(second, byHash(hash));
    expect(elsewhere.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('is refused when switched off', async () => {
    const off = await gatewayWith({ mode: 'off', apqTtlSeconds: 120 });
    expect(codeOf(await post(off, byHash(sha256(PING))))).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    expect((await post(off, { query: PING })).body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('persisted-only mode', () => {
  let only: GatewayUnderTest;

  beforeAll(async () => {
    const manifest = join(dir, 'manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'ping-v1', name: 'Ping', type: 'query', body: PING }, { id: 'Ping:v2', name: 'Ping', type: 'query', body: PING }] }),
    );
    only = await gatewayWith({ mode: 'only', manifestFile: manifest, apqTtlSeconds: 120 });
  });

  it('refuses an ad-hoc query with PERSISTED_QUERY_REQUIRED', async () => {
    const adHoc = await post(only, { query: SCHEMA_NAME });
    expect(adHoc.status).toBe(400);
    expect(adHoc.body.data).toBeUndefined();
    expect(adHoc.body.errors).toEqual([
      { message: expect.stringMatching(/只接受已登记的操作.*serves only registered operations/), extensions: { code: 'PERSISTED_QUERY_REQUIRED' } },
    ]);
  });

  it('serves a manifest operation by its sha256, by its manifest id, and by its exact text', async () => {
    expect((await post(only, byHash(sha256(PING)))).body).toEqual({ data: { __typename: 'Query' } });
    expect((await post(only, byHash('ping-v1'))).body).toEqual({ data: { __typename: 'Query' } });
    expect((await post(only, byHash('Ping:v2'))).body).toEqual({ data: { __typename: 'Query' } });
    expect((await post(only, { query: PING })).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('does not let a client register a new operation through APQ', async () => {
    const hash = sha256(SCHEMA_NAME);
    expect(codeOf(await post(only, { query: SCHEMA_NAME, ...byHash(hash) }))).toBe('PERSISTED_QUERY_REQUIRED');
    expect(codeOf(await post(only, byHash(hash)))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('reads graphql-codegen\'s persisted-documents.json as well', async () => {
    const manifest = join(dir, 'persisted-documents.json');
    writeFileSync(manifest, JSON.stringify({ [sha256(SCHEMA_NAME)]: SCHEMA_NAME }));
    const codegen = await gatewayWith({ mode: 'only', manifestFile: manifest, apqTtlSeconds: 120 });
    expect((await post(codegen, byHash(sha256(SCHEMA_NAME)))).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    expect(codeOf(await post(codegen, { query: PING }))).toBe('PERSISTED_QUERY_REQUIRED');
  });

  it('will not start without a manifest', () => {
    const env = { EXCHANGE_URL: 'http://127.0.0.1:1/graphql', JWT_SECRET: 'x'.repeat(32), GATEWAY_SIGNING_KEY: fleet.keys.privateKeyPem };
    expect(() => readConfig({ ...env, PERSISTED_OPERATIONS: 'only' })).toThrow(/PERSISTED_OPERATIONS_MANIFEST/);
    expect(readConfig({ ...env, PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: '/trusted.json' }).limits.persisted).toMatchObject({ mode: 'only', manifestFile: '/trusted.json' });
  });
});
