import { serverAudits, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommunityFleet, startGateway, type GatewayUnderTest } from './test/harness.js';

/**
 * The GraphQL-over-HTTP audits of graphql-http against the gateway's real HTTP stack (express,
 * Apollo Server, the explorer and live routes in front of /graphql). Every MUST has to pass; the
 * SHOULD/MAY results are printed, and the ones the gateway fails on purpose are pinned below so
 * that a change in either direction is noticed.
 */
const fleet = new CommunityFleet();
let gw: GatewayUnderTest;
let plain: AuditResult[];
let preflighted: AuditResult[];

// A GET with no content-type and no preflight header is what a cross-site <img>/<form> can send:
// Apollo's CSRF prevention refuses it (400), so these MAY audits fail for plain GETs only.
const GET_AUDITS = ['5A70', 'D6D5', '6A70'];

async function audit(headers: Record<string, string> = {}): Promise<AuditResult[]> {
  const fetchFn = (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
    const merged = new Headers(init.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    return fetch(input, { ...init, headers: merged });
  };
  const results: AuditResult[] = [];
  // One at a time: the audits are cheap, and a failure's reason stays readable.
  for (const a of serverAudits({ url: gw.gateway.url, fetchFn })) results.push(await a.fn());
  return results;
}

function summary(title: string, results: AuditResult[]): string {
  const passed = results.filter((r) => r.status === 'ok').length;
  const lines = results.map((r) => `${r.status === 'ok' ? 'pass' : 'FAIL'}  ${r.id}  ${r.name}${r.status === 'ok' ? '' : `  — ${r.reason}`}`);
  return `${title}: ${passed}/${results.length} pass\n${lines.join('\n')}`;
}

type ErrorBody = { errors: Array<{ extensions: { code: string } }> };

const failing = (results: AuditResult[]) => results.filter((r) => r.status !== 'ok').map((r) => r.id);

beforeAll(async () => {
  await fleet.start('audit-a');
  gw = await startGateway(fleet);
  plain = await audit();
  preflighted = await audit({ 'apollo-require-preflight': 'true' });
  console.log(summary('graphql-http server audits', plain));
  console.log(summary('graphql-http server audits, with apollo-require-preflight', preflighted));
});

afterAll(async () => {
  await gw?.close();
  await fleet.close();
});

describe('GraphQL over HTTP compliance (graphql-http serverAudits)', () => {
  it('passes every MUST audit', () => {
    const must = plain.filter((r) => r.name.startsWith('MUST'));
    expect(must.length).toBeGreaterThanOrEqual(13);
    expect(must.flatMap((r) => (r.status === 'ok' ? [] : [`${r.id} ${r.name}: ${r.reason}`]))).toEqual([]);
  });

  it('fails only the MAY audits that CSRF prevention refuses on purpose', () => {
    expect(failing(plain).sort()).toEqual([...GET_AUDITS].sort());
  });

  it('passes every audit for a client that sends a CSRF preflight header', () => {
    expect(failing(preflighted)).toEqual([]);
  });

  it('answers a document that fails validation with 200 to application/json and 400 to graphql-response+json', async () => {
    const ask = (accept: string) =>
      fetch(gw.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: JSON.stringify({ query: '{ noSuchField }' }),
      });
    const legacy = await ask('application/json');
    expect(legacy.status).toBe(200);
    expect(((await legacy.json()) as ErrorBody).errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const modern = await ask('application/graphql-response+json, application/json;q=0.9');
    expect(modern.status).toBe(400);
    expect(modern.headers.get('content-type')).toContain('application/graphql-response+json');
  });

  it('keeps a limit refusal at 400 whatever the client accepts', async () => {
    const aliased = `{ ${Array.from({ length: 40 }, (_, i) => `c${i}: community(id: "audit-a") { id }`).join(' ')} }`;
    const answer = await fetch(gw.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: aliased }),
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as ErrorBody).errors[0]!.extensions.code).toBe('LIMIT_EXCEEDED');
  });

  it('still refuses a mutation over GET when the preflight header is present', () => {
    expect(preflighted.find((r) => r.id === '9C48')?.status).toBe('ok');
  });
});
