import { describe, expect, it } from 'vitest';
import { parseRuntimeConfig } from './runtime';

describe('runtime config', () => {
  it('defaults to the gateway on this origin, over HTTP and WebSocket', () => {
    expect(parseRuntimeConfig({}, 'https://linli.example/bookings')).toEqual({
      graphqlUrl: '/graphql',
      subscriptionsUrl: 'wss://linli.example/graphql',
      pollIntervalMs: 3000,
      subscriptions: true,
      demoIdentities: [],
    });
  });

  it('takes what it is given and drops malformed demo identities', () => {
    const config = parseRuntimeConfig(
      {
        graphqlUrl: 'http://127.0.0.1:4000/graphql',
        pollIntervalMs: 1000,
        subscriptions: false,
        demoIdentities: [{ name: '王秀英', label: '居民', labelEn: 'Resident', token: 'a.b.c' }, { name: 'no token' }],
      },
      'http://127.0.0.1:4080/',
    );
    expect(config).toMatchObject({ subscriptionsUrl: 'ws://127.0.0.1:4000/graphql', pollIntervalMs: 1000, subscriptions: false });
    expect(config.demoIdentities.map((d) => d.name)).toEqual(['王秀英']);
  });
});
