import { IdentityVerifier } from '@linli/subgraph-kit/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeExchange } from '../test/fake-exchange.js';
import { CommunityFleet, startGateway, type GatewayUnderTest } from '../test/harness.js';

/**
 * The gateway reading its directory from the exchange. The exchange subgraph has not landed
 * yet, so a fake answers the directory query (and only that).
 */
const fleet = new CommunityFleet();
let exchange: FakeExchange;
let gw: GatewayUnderTest;

beforeAll(async () => {
  exchange = new FakeExchange(new IdentityVerifier(fleet.keys.publicKeyPem));
  const exchangeUrl = await exchange.start();
  const a = await fleet.start('qibao-a');
  await fleet.start('qibao-b');
  exchange.communities = [{ id: 'qibao-a', status: 'ACTIVE', endpoint: a.url }];
  gw = await startGateway(fleet, { directory: undefined, config: { exchangeUrl, directoryRefreshMs: 60_000 } });
});

afterAll(async () => {
  await gw?.close();
  await exchange?.close();
  await fleet.close();
});

const LIST = (id: string) => `{ resources(communityId: "${id}") { edges { node { name } } } }`;

describe('gateway with the exchange directory', () => {
  it('routes to the communities the exchange lists', async () => {
    const res = await gw.request(LIST('qibao-a'));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ resources: { edges: [] } });
  });

  it('routes to a community registered while it runs, without a restart or waiting for the next period', async () => {
    const before = await gw.request(LIST('qibao-b'));
    expect(before.body.errors?.[0]?.extensions).toMatchObject({ code: 'COMMUNITY_UNAVAILABLE', communityId: 'qibao-b' });
    exchange.communities = [...exchange.communities, { id: 'qibao-b', status: 'ACTIVE', endpoint: fleet.communities.get('qibao-b')?.url ?? '' }];
    // On-demand refreshes run at most once a second; the next one must find qibao-b.
    await expect
      .poll(async () => (await gw.request(LIST('qibao-b'))).body, { timeout: 3000, interval: 200 })
      .toEqual({ data: { resources: { edges: [] } } });
  });
});
