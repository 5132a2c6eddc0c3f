import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommunityFleet, startGateway, type GatewayUnderTest } from '../test/harness.js';

const fleet = new CommunityFleet();
let gw: GatewayUnderTest;
let origin: string;

beforeAll(async () => {
  gw = await startGateway(fleet, { explorerPresets: [{ label: '七宝A 居民 / Qibao A resident', token: 'token-of-resident' }] });
  origin = new URL(gw.gateway.url).origin;
});

afterAll(async () => {
  await gw?.close();
  await fleet.close();
});

describe('GraphQL explorer', () => {
  it('serves GraphiQL to a browser from local assets only, with the identity presets', async () => {
    const res = await fetch(`${origin}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('七宝A 居民 / Qibao A resident');
    expect(html).toContain('Linli federation GraphQL explorer');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets.length).toBeGreaterThanOrEqual(4);
    // Everything the page loads comes from this gateway: no CDN, so it works offline.
    expect(assets.every((a) => a.startsWith('/explorer/assets/'))).toBe(true);
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"']*\.(js|css)/);
    for (const asset of assets) {
      const file = await fetch(`${origin}${asset}`);
      expect(file.status, asset).toBe(200);
      expect(file.headers.get('content-type'), asset).toMatch(asset.endsWith('.css') ? /text\/css/ : /javascript/);
      expect((await file.arrayBuffer()).byteLength, asset).toBeGreaterThan(1000);
    }
  });

  it('puts the chosen preset\'s token in the Authorization header of GraphiQL', async () => {
    const html = await (await fetch(`${origin}/graphql`, { headers: { accept: 'text/html' } })).text();
    const boot = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    // No browser here: run the page's own script against stand-ins for the DOM, React and GraphiQL.
    const rendered: Array<{ headers?: string; fetcher?: unknown }> = [];
    const options: Array<{ value: string; textContent: string }> = [];
    let onChange: (() => void) | undefined;
    let endpoint: unknown;
    const select = {
      value: '',
      appendChild: (option: { value: string; textContent: string }) => options.push(option),
      addEventListener: (_event: string, listener: () => void) => {
        onChange = listener;
      },
    };
    runInNewContext(boot, {
      document: { getElementById: (id: string) => (id === 'preset' ? select : {}), createElement: () => ({ value: '', textContent: '' }) },
      GraphiQL: Object.assign(() => null, { createFetcher: (o: { url: string }) => ((endpoint = o.url), 'fetcher') }),
      React: { createElement: (_component: unknown, props: { headers?: string }) => props },
      ReactDOM: { createRoot: () => ({ render: (props: { headers?: string }) => rendered.push(props) }) },
    });
    expect(endpoint).toBe('/graphql');
    expect(options.map((o) => o.textContent)).toEqual(['七宝A 居民 / Qibao A resident']);
    expect(rendered.at(-1)?.headers).toBe('');
    select.value = options[0]?.value ?? '';
    onChange?.();
    expect(JSON.parse(rendered.at(-1)?.headers ?? '{}')).toEqual({ Authorization: 'Bearer token-of-resident' });
    expect(rendered.at(-1)?.fetcher).toBe('fetcher');
  });

  it('answers 404 for files that are not explorer assets', async () => {
    expect((await fetch(`${origin}/explorer/assets/package.json`)).status).toBe(404);
    expect((await fetch(`${origin}/explorer/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('keeps POST /graphql as the API and answers GET /health', async () => {
    const api = await fetch(gw.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
    const health = await fetch(`${origin}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', service: 'gateway' });
  });
});
