import { RedisEventPublisher } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCommunity, type CommunityHarness } from './test/harness.js';

/** A community is ready when its own database and the Redis it publishes events to both answer. */
let healthy: CommunityHarness;
let cutOff: CommunityHarness;
beforeAll(async () => {
  [healthy, cutOff] = await Promise.all([
    startCommunity('ready-a'),
    // Nothing listens on port 1: the community can serve, but its events would go nowhere.
    startCommunity('ready-b', { events: new RedisEventPublisher('redis://127.0.0.1:1') }),
  ]);
});
afterAll(async () => {
  await Promise.all([healthy?.close(), cutOff?.close()]);
});

const probe = async (h: CommunityHarness, path: string) => {
  const res = await fetch(h.subgraph.server.url.replace(/\/graphql$/, path));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('community readiness', () => {
  it('is ready once its database and Redis answer', async () => {
    // The publisher connects in the background; until it has, the community is not ready.
    const ready = await vi.waitFor(async () => {
      const answer = await probe(healthy, '/readyz');
      expect(answer.status).toBe(200);
      return answer;
    });
    expect(ready.body).toMatchObject({ status: 'ready', service: 'community', checks: { database: 'ok', redis: 'ok' } });
  });

  it('is live but not ready while Redis is unreachable, and says so', async () => {
    expect((await probe(cutOff, '/healthz')).status).toBe(200);
    const answer = await probe(cutOff, '/readyz');
    expect(answer).toEqual({
      status: 503,
      body: { status: 'not ready', service: 'community', checks: { database: 'ok', redis: 'failed' }, failed: ['redis'] },
    });
  });

  it('is not ready once its database is gone, and still live', async () => {
    await healthy.subgraph.orm.close();
    const answer = await probe(healthy, '/readyz');
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ checks: { database: 'failed', redis: 'ok' }, failed: ['database'] });
    expect((await probe(healthy, '/healthz')).status).toBe(200);
  });
});
