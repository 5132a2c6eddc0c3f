import { generateSigningKeys, IdentitySigner, IdentityVerifier, Role } from '@linli/subgraph-kit/identity';
import { createLogger } from '@linli/subgraph-kit/logger';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeExchange } from '../test/fake-exchange.js';
import { StaticDirectory, type CommunityDirectory, type DirectoryEntry } from './directory.js';
import { ExchangeDirectory } from './exchange-directory.js';
import { createHttpClient } from './http-client.js';

const keys = generateSigningKeys();
const exchange = new FakeExchange(new IdentityVerifier(keys.publicKeyPem));
const http = createHttpClient({ timeoutMs: 1000 });
let exchangeUrl: string;
const opened: CommunityDirectory[] = [];

beforeAll(async () => {
  exchangeUrl = await exchange.start();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
  exchange.failWith = null;
  exchange.communities = [];
});
afterAll(async () => {
  await exchange.close();
  await http.close();
});

const TABLE: DirectoryEntry[] = [
  { id: 'qibao-a', status: 'ACTIVE', endpoint: 'http://127.0.0.1:4101/graphql' },
  { id: 'qibao-b', status: 'SUSPENDED', endpoint: 'http://127.0.0.1:4102/graphql' },
];

function exchangeDirectory(options: { refreshMs?: number; minOnDemandGapMs?: number } = {}): Promise<ExchangeDirectory> {
  return ExchangeDirectory.start({
    url: exchangeUrl,
    fetcher: http.fetcher,
    signer: new IdentitySigner(keys.privateKeyPem),
    logger: createLogger('gateway', 'silent'),
    refreshMs: options.refreshMs ?? 60_000,
    minOnDemandGapMs: options.minOnDemandGapMs,
  });
}

const JWKS = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'a1' }] };
const ISSUERS: DirectoryEntry[] = [
  { ...TABLE[0]!, issuer: 'https://idp.qibao-a.example', jwks: JWKS },
  { ...TABLE[1]!, issuer: 'https://idp.qibao-b.example', jwksUri: 'https://idp.qibao-b.example/jwks.json' },
];

/** One behaviour, every implementation. */
const implementations: Array<[string, (entries: DirectoryEntry[]) => Promise<CommunityDirectory>]> = [
  ['StaticDirectory', async (entries) => new StaticDirectory(entries)],
  [
    'ExchangeDirectory',
    async (entries) => {
      exchange.communities = entries;
      return exchangeDirectory();
    },
  ],
];

describe.each(implementations)('%s', (_name, make) => {
  async function directory(entries: DirectoryEntry[]): Promise<CommunityDirectory> {
    const made = await make(entries);
    opened.push(made);
    return made;
  }

  it('routes an ACTIVE community to its endpoint', async () => {
    const d = await directory(TABLE);
    expect(d.lookup('qibao-a')).toEqual({ kind: 'instance', communityId: 'qibao-a', url: 'http://127.0.0.1:4101/graphql' });
  });

  it('reports a SUSPENDED community as unavailable with its status', async () => {
    const d = await directory(TABLE);
    expect(d.lookup('qibao-b')).toEqual({ kind: 'unavailable', communityId: 'qibao-b', reason: 'SUSPENDED' });
  });

  it('reports a community it does not know as unknown', async () => {
    const d = await directory(TABLE);
    await d.refresh();
    expect(d.lookup('qibao-z')).toEqual({ kind: 'unavailable', communityId: 'qibao-z', reason: 'unknown' });
  });

  it('finds a community by its identity provider’s issuer, with its keys and whatever its status', async () => {
    const d = await directory(ISSUERS);
    expect(d.byIssuer('https://idp.qibao-a.example')).toMatchObject({ id: 'qibao-a', status: 'ACTIVE', jwks: JWKS });
    expect(d.byIssuer('https://idp.qibao-b.example')).toMatchObject({ id: 'qibao-b', status: 'SUSPENDED', jwksUri: 'https://idp.qibao-b.example/jwks.json' });
    expect(d.byIssuer('https://idp.nowhere.example')).toBeUndefined();
  });

  it('trusts no community with an issuer that two of them registered', async () => {
    const d = await directory([...ISSUERS, { id: 'qibao-c', status: 'ACTIVE', endpoint: 'http://127.0.0.1:4103/graphql', issuer: 'https://idp.qibao-a.example', jwks: JWKS }]);
    expect(d.byIssuer('https://idp.qibao-a.example')).toBeUndefined();
  });
});

describe('ExchangeDirectory', () => {
  it('reads the directory as the gateway service, signed', async () => {
    exchange.communities = TABLE;
    opened.push(await exchangeDirectory());
    expect(exchange.viewers.at(-1)).toEqual({ userId: 'gateway', homeCommunityId: null, roles: [Role.SERVICE] });
  });

  it('sees a newly registered community on the next on-demand refresh', async () => {
    exchange.communities = TABLE;
    const d = await exchangeDirectory({ minOnDemandGapMs: 0 });
    opened.push(d);
    exchange.communities = [...TABLE, { id: 'qibao-d', status: 'ACTIVE', endpoint: 'http://127.0.0.1:4104/graphql' }];
    expect(d.lookup('qibao-d').kind).toBe('unavailable');
    await d.refresh();
    expect(d.lookup('qibao-d')).toMatchObject({ kind: 'instance', url: 'http://127.0.0.1:4104/graphql' });
  });

  it('refreshes in the background every refreshMs', async () => {
    exchange.communities = [];
    const d = await exchangeDirectory({ refreshMs: 100 });
    opened.push(d);
    exchange.communities = TABLE;
    await expect.poll(() => d.lookup('qibao-a').kind, { timeout: 2000 }).toBe('instance');
  });

  it('asks the exchange once for concurrent refreshes and at most once a second on demand', async () => {
    exchange.communities = TABLE;
    const d = await exchangeDirectory();
    opened.push(d);
    const before = exchange.requests;
    await Promise.all([d.refresh(), d.refresh(), d.refresh()]);
    await d.refresh();
    // The start-up read was less than a second ago: on-demand refreshes wait their turn.
    expect(exchange.requests - before).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    await Promise.all([d.refresh(), d.refresh(), d.refresh()]);
    expect(exchange.requests - before).toBe(1);
  });

  it('drops a malformed key set of one community and still routes every community', async () => {
    exchange.communities = [{ ...ISSUERS[0]!, jwks: 'not a key set' as unknown as typeof JWKS }, ISSUERS[1]!];
    const d = await exchangeDirectory();
    opened.push(d);
    expect(d.lookup('qibao-a').kind).toBe('instance');
    expect(d.byIssuer('https://idp.qibao-a.example')).toMatchObject({ id: 'qibao-a', jwks: null });
    expect(d.byIssuer('https://idp.qibao-b.example')).toMatchObject({ id: 'qibao-b' });
  });

  it('keeps the last good table when the exchange fails', async () => {
    exchange.communities = TABLE;
    const d = await exchangeDirectory({ minOnDemandGapMs: 0 });
    opened.push(d);
    exchange.failWith = 500;
    await d.refresh();
    expect(d.lookup('qibao-a').kind).toBe('instance');
  });

  it('starts with an empty table when the exchange is down, and fills it once it is up', async () => {
    exchange.failWith = 503;
    const d = await exchangeDirectory({ minOnDemandGapMs: 0 });
    opened.push(d);
    expect(d.lookup('qibao-a').kind).toBe('unavailable');
    exchange.failWith = null;
    exchange.communities = TABLE;
    await d.refresh();
    expect(d.lookup('qibao-a').kind).toBe('instance');
  });
});
