import { LiveEventType, MemoryEventPublisher } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registration, startExchange, viewers, type ExchangeHarness } from '../../test/harness.js';

let h: ExchangeHarness;
beforeAll(async () => {
  h = await startExchange('exchange_directory');
  await h.register({ id: 'qibao-b' }, { id: 'qibao-a', name: '七宝A社区', nameEn: 'Qibao A Community' }, { id: 'qibao-c' });
});
afterAll(async () => {
  await h?.close();
});

const REGISTER = `mutation($input: RegisterCommunityInput!) {
  registerCommunity(input: $input) { id name nameEn district districtEn street streetEn status endpoint joinedAt }
}`;
const SUSPEND = `mutation($id: ID!) { suspendCommunity(id: $id) { id status } }`;
const REACTIVATE = `mutation($id: ID!) { reactivateCommunity(id: $id) { id status } }`;

type CommunityData = { id: string; status: string; endpoint: string | null; name: string };

describe('reading the directory', () => {
  it('lists member communities ordered by id, and filters by status', async () => {
    const all = await h.request<{ communities: CommunityData[] }>(`{ communities { id name status } }`);
    expect(all.body.errors).toBeUndefined();
    expect(all.body.data?.communities.map((c) => c.id)).toEqual(['qibao-a', 'qibao-b', 'qibao-c']);
    const active = await h.request<{ communities: CommunityData[] }>(`{ communities(status: ACTIVE) { id } }`);
    expect(active.body.data?.communities.length).toBe(3);
    const suspended = await h.request<{ communities: CommunityData[] }>(`{ communities(status: SUSPENDED) { id } }`);
    expect(suspended.body.data?.communities).toEqual([]);
  });

  it('gets one community by id with its bilingual names, and null for an unknown id', async () => {
    const one = await h.request<{ community: Record<string, unknown> }>(
      `{ community(id: "qibao-a") { id name nameEn district districtEn street streetEn status joinedAt } }`,
    );
    expect(one.body.data?.community).toMatchObject({
      id: 'qibao-a',
      name: '七宝A社区',
      nameEn: 'Qibao A Community',
      district: '闵行区',
      districtEn: 'Minhang District',
      street: '七宝镇',
      streetEn: 'Qibao Town',
      status: 'ACTIVE',
    });
    expect(Number.isNaN(Date.parse(String(one.body.data?.community.joinedAt)))).toBe(false);
    const none = await h.request<{ community: null }>(`{ community(id: "nowhere") { id } }`);
    expect(none.body.errors).toBeUndefined();
    expect(none.body.data?.community).toBeNull();
  });

  it('hides endpoints from anonymous visitors, residents and staff, and shows them to the gateway and federation admins', async () => {
    const query = `{ communities { id endpoint } community(id: "qibao-a") { endpoint } }`;
    for (const viewer of [viewers.anonymous, viewers.resident('qibao-a'), viewers.staff('qibao-a')]) {
      const res = await h.request<{ communities: CommunityData[]; community: { endpoint: string | null } }>(query, {}, viewer);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.communities.every((c) => c.endpoint === null)).toBe(true);
      expect(res.body.data?.community.endpoint).toBeNull();
    }
    for (const viewer of [viewers.gateway, viewers.federationAdmin]) {
      const res = await h.request<{ communities: CommunityData[] }>(query, {}, viewer);
      expect(res.body.data?.communities.find((c) => c.id === 'qibao-a')?.endpoint).toBe('http://127.0.0.1:4101/qibao-a/graphql');
    }
  });

  it('answers the gateway routing query `communities { id status endpoint }` with every endpoint', async () => {
    const res = await h.request<{ communities: CommunityData[] }>(`{ communities { id status endpoint } }`, {}, viewers.gateway);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.communities).toEqual([
      { id: 'qibao-a', status: 'ACTIVE', endpoint: 'http://127.0.0.1:4101/qibao-a/graphql' },
      { id: 'qibao-b', status: 'ACTIVE', endpoint: 'http://127.0.0.1:4101/qibao-b/graphql' },
      { id: 'qibao-c', status: 'ACTIVE', endpoint: 'http://127.0.0.1:4101/qibao-c/graphql' },
    ]);
  });

  it('refuses a request without the gateway signature with 401', async () => {
    const res = await fetch(h.subgraph.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ communities { id } }' }),
    });
    expect(res.status).toBe(401);
  });
});

describe('registering a community', () => {
  it('lets a federation admin register a community, PENDING until the gateway admits it', async () => {
    const res = await h.request<{ registerCommunity: CommunityData }>(REGISTER, { input: registration('xinzhuang-a') }, viewers.federationAdmin);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.registerCommunity).toMatchObject({
      id: 'xinzhuang-a',
      status: 'PENDING',
      endpoint: 'http://127.0.0.1:4101/xinzhuang-a/graphql',
    });
  });

  it('keeps the identity provider of a community, shown only to federation admins and services', async () => {
    const jwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'k1' }] };
    const input = registration('idp-a', { issuer: 'https://idp.idp-a.example', jwksUri: 'https://idp.idp-a.example/jwks.json', jwks });
    const res = await h.request<{ registerCommunity: Record<string, unknown> }>(
      `mutation($input: RegisterCommunityInput!) { registerCommunity(input: $input) { id issuer jwksUri jwks } }`,
      { input },
      viewers.federationAdmin,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.registerCommunity).toEqual({ id: 'idp-a', issuer: 'https://idp.idp-a.example', jwksUri: 'https://idp.idp-a.example/jwks.json', jwks });
    const query = `{ community(id: "idp-a") { issuer jwksUri jwks } }`;
    const asGateway = await h.request<{ community: Record<string, unknown> }>(query, {}, viewers.gateway);
    expect(asGateway.body.data?.community).toEqual({ issuer: 'https://idp.idp-a.example', jwksUri: 'https://idp.idp-a.example/jwks.json', jwks });
    const asResident = await h.request<{ community: Record<string, unknown> }>(query, {}, viewers.resident('idp-a'));
    expect(asResident.body.data?.community).toEqual({ issuer: null, jwksUri: null, jwks: null });
    const changed = await h.request(REGISTER, { input: { ...input, issuer: 'https://elsewhere.example' } }, viewers.federationAdmin);
    expect(changed.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('refuses an identity provider the gateway could not use, naming the argument, and registers nothing', async () => {
    const key = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ issuer: 'https://idp.example' }, 'issuer'],
      [{ jwks: { keys: [key] } }, 'issuer'],
      [{ issuer: 'https://idp.example', jwks: { keys: [] } }, 'jwks'],
      [{ issuer: 'https://idp.example', jwks: { keys: [{ crv: 'Ed25519' }] } }, 'jwks'],
      [{ issuer: 'https://idp.example', jwks: { kty: 'OKP' } }, 'jwks'],
      [{ issuer: 'https://idp.example', jwksUri: 'ftp://idp.example/jwks' }, 'jwksUri'],
    ];
    for (const [provider, argument] of cases) {
      const res = await h.request(REGISTER, { input: registration('idp-bad', provider) }, viewers.federationAdmin);
      expect(res.body.errors?.[0]?.extensions, JSON.stringify(provider)).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
    const check = await h.request<{ community: null }>(`{ community(id: "idp-bad") { id } }`);
    expect(check.body.data?.community).toBeNull();
  });

  it('answers UNAUTHENTICATED to an anonymous visitor and FORBIDDEN to residents, staff and the gateway', async () => {
    const input = registration('intruder');
    const anonymous = await h.request(REGISTER, { input }, viewers.anonymous);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const viewer of [viewers.resident('qibao-a'), viewers.staff('qibao-a'), viewers.gateway]) {
      const res = await h.request(REGISTER, { input }, viewer);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const check = await h.request<{ community: null }>(`{ community(id: "intruder") { id } }`);
    expect(check.body.data?.community).toBeNull();
  });

  it('returns the existing community unchanged when the same registration is repeated', async () => {
    const input = registration('repeat-a');
    const first = await h.request<{ registerCommunity: Record<string, unknown> }>(REGISTER, { input }, viewers.federationAdmin);
    const second = await h.request<{ registerCommunity: Record<string, unknown> }>(REGISTER, { input }, viewers.federationAdmin);
    expect(second.body.errors).toBeUndefined();
    expect(second.body.data?.registerCommunity).toEqual(first.body.data?.registerCommunity);
  });

  it('registers a community once when the same registration arrives twice at the same moment', async () => {
    const input = registration('race-a');
    const results = await Promise.all([1, 2, 3].map(() => h.request<{ registerCommunity: { joinedAt: string } }>(REGISTER, { input }, viewers.federationAdmin)));
    for (const r of results) expect(r.body.errors).toBeUndefined();
    expect(new Set(results.map((r) => r.body.data?.registerCommunity.joinedAt)).size).toBe(1);
  });

  it('answers CONFLICT when an existing id is registered with another endpoint or other names', async () => {
    const moved = await h.request(REGISTER, { input: registration('qibao-a', { endpoint: 'http://10.0.0.9:4101/graphql' }) }, viewers.federationAdmin);
    expect(moved.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', communityId: 'qibao-a' });
    const renamed = await h.request(REGISTER, { input: registration('qibao-b', { name: '别的名字' }) }, viewers.federationAdmin);
    expect(renamed.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('answers BAD_USER_INPUT for a malformed id or an endpoint that is not an http(s) URL', async () => {
    const badId = await h.request(REGISTER, { input: registration('Qibao_A') }, viewers.federationAdmin);
    expect(badId.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const endpoint of ['not a url', 'ftp://example.org/graphql']) {
      const res = await h.request(REGISTER, { input: registration('bad-endpoint', { endpoint }) }, viewers.federationAdmin);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('suspending and reactivating a community', () => {
  it('lets a federation admin suspend and reactivate, each idempotently', async () => {
    await h.register({ id: 'pause-a' });
    for (let i = 0; i < 2; i++) {
      const res = await h.request<{ suspendCommunity: CommunityData }>(SUSPEND, { id: 'pause-a' }, viewers.federationAdmin);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.suspendCommunity.status).toBe('SUSPENDED');
    }
    const suspended = await h.request<{ communities: CommunityData[] }>(`{ communities(status: SUSPENDED) { id } }`);
    expect(suspended.body.data?.communities.map((c) => c.id)).toEqual(['pause-a']);
    for (let i = 0; i < 2; i++) {
      const res = await h.request<{ reactivateCommunity: CommunityData }>(REACTIVATE, { id: 'pause-a' }, viewers.federationAdmin);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.reactivateCommunity.status).toBe('ACTIVE');
    }
  });

  it('answers NOT_FOUND for an unknown community', async () => {
    for (const mutation of [SUSPEND, REACTIVATE]) {
      const res = await h.request(mutation, { id: 'nowhere' }, viewers.federationAdmin);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', communityId: 'nowhere' });
    }
  });

  it('answers UNAUTHENTICATED to anonymous visitors and FORBIDDEN to community staff', async () => {
    for (const mutation of [SUSPEND, REACTIVATE]) {
      const anonymous = await h.request(mutation, { id: 'qibao-a' }, viewers.anonymous);
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const staff = await h.request(mutation, { id: 'qibao-a' }, viewers.staff('qibao-a'));
      expect(staff.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const check = await h.request<{ community: CommunityData }>(`{ community(id: "qibao-a") { id status } }`);
    expect(check.body.data?.community.status).toBe('ACTIVE');
  });
});

describe('admission', () => {
  const ADMISSION = `mutation($id: ID!, $accepted: Boolean!, $reasons: [String!]) {
    recordAdmission(id: $id, accepted: $accepted, reasons: $reasons) { id status rejectionReasons admissionCheckedAt }
  }`;
  const REQUEST_ADMISSION = `mutation($id: ID!) { requestAdmission(id: $id) { id status } }`;
  type Admission = { id: string; status: string; rejectionReasons: string[] | null; admissionCheckedAt: string | null };

  it('moves a PENDING community to ACTIVE when the gateway admits it, and a repeated decision changes nothing', async () => {
    await h.request(REGISTER, { input: registration('admit-a') }, viewers.federationAdmin);
    const admitted = await h.request<{ recordAdmission: Admission }>(ADMISSION, { id: 'admit-a', accepted: true }, viewers.gateway);
    expect(admitted.body.errors).toBeUndefined();
    expect(admitted.body.data?.recordAdmission).toMatchObject({ status: 'ACTIVE', rejectionReasons: null });
    expect(admitted.body.data?.recordAdmission.admissionCheckedAt).not.toBeNull();
    // A second gateway replica, late, with the opposite finding: only PENDING moves.
    const late = await h.request<{ recordAdmission: Admission }>(ADMISSION, { id: 'admit-a', accepted: false, reasons: ['late'] }, viewers.gateway);
    expect(late.body.data?.recordAdmission).toEqual(admitted.body.data?.recordAdmission);
  });

  it('rejects with the reasons, shows them to admins only, and admits again only when an admin asks', async () => {
    await h.request(REGISTER, { input: registration('reject-a') }, viewers.federationAdmin);
    const reasons = ['Query.resource: 缺少字段 (missing field)', 'Resource: @key(fields: "communityId id") 缺失 (missing key)'];
    const rejected = await h.request<{ recordAdmission: Admission }>(ADMISSION, { id: 'reject-a', accepted: false, reasons }, viewers.gateway);
    expect(rejected.body.data?.recordAdmission).toMatchObject({ status: 'REJECTED', rejectionReasons: reasons });
    const asResident = await h.request<{ community: Admission }>(`{ community(id: "reject-a") { status rejectionReasons } }`, {}, viewers.resident('qibao-a'));
    expect(asResident.body.data?.community).toEqual({ status: 'REJECTED', rejectionReasons: null });
    const reactivate = await h.request(REACTIVATE, { id: 'reject-a' }, viewers.federationAdmin);
    expect(reactivate.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', status: 'REJECTED' });
    for (let i = 0; i < 2; i++) {
      const again = await h.request<{ requestAdmission: Admission }>(REQUEST_ADMISSION, { id: 'reject-a' }, viewers.federationAdmin);
      expect(again.body.data?.requestAdmission.status).toBe('PENDING');
    }
    const admitted = await h.request<{ recordAdmission: Admission }>(ADMISSION, { id: 'reject-a', accepted: true }, viewers.gateway);
    expect(admitted.body.data?.recordAdmission).toMatchObject({ status: 'ACTIVE', rejectionReasons: null });
    const notRejected = await h.request(REQUEST_ADMISSION, { id: 'reject-a' }, viewers.federationAdmin);
    expect(notRejected.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('takes admission decisions from the gateway service only, and admission requests from federation admins only', async () => {
    await h.request(REGISTER, { input: registration('guarded-a') }, viewers.federationAdmin);
    for (const viewer of [viewers.federationAdmin, viewers.staff('guarded-a'), { ...viewers.gateway, homeCommunityId: 'guarded-a' }]) {
      const res = await h.request(ADMISSION, { id: 'guarded-a', accepted: true }, viewer);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const byGateway = await h.request(REQUEST_ADMISSION, { id: 'guarded-a' }, viewers.gateway);
    expect(byGateway.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const check = await h.request<{ community: Admission }>(`{ community(id: "guarded-a") { status } }`);
    expect(check.body.data?.community.status).toBe('PENDING');
  });

  it('sends a community suspended before it was admitted back through admission when reactivated', async () => {
    await h.request(REGISTER, { input: registration('early-a') }, viewers.federationAdmin);
    await h.request(SUSPEND, { id: 'early-a' }, viewers.federationAdmin);
    const ignored = await h.request<{ recordAdmission: Admission }>(ADMISSION, { id: 'early-a', accepted: true }, viewers.gateway);
    expect(ignored.body.data?.recordAdmission.status).toBe('SUSPENDED');
    const back = await h.request<{ reactivateCommunity: CommunityData }>(REACTIVATE, { id: 'early-a' }, viewers.federationAdmin);
    expect(back.body.data?.reactivateCommunity.status).toBe('PENDING');
  });

  it('never lets a gateway\'s decision undo a suspension that landed meanwhile, nor two decisions mix', async () => {
    const ids = Array.from({ length: 24 }, (_, i) => `tussle-${i}`);
    for (const id of ids) await h.request(REGISTER, { input: registration(id) }, viewers.federationAdmin);
    await Promise.all(
      ids.flatMap((id) => [
        h.request(ADMISSION, { id, accepted: true }, viewers.gateway),
        h.request(ADMISSION, { id, accepted: false, reasons: ['contract: missing Query.resource'] }, viewers.gateway),
        h.request(SUSPEND, { id }, viewers.federationAdmin),
      ]),
    );
    const read = await h.request<{ communities: Admission[] }>(`{ communities { id status rejectionReasons admissionCheckedAt } }`, {}, viewers.gateway);
    const raced = read.body.data!.communities.filter((c) => ids.includes(c.id));
    expect(raced).toHaveLength(ids.length);
    for (const community of raced) {
      // The emergency stop wins whatever the order; a decision that went first is kept whole.
      expect(community.status, community.id).toBe('SUSPENDED');
      if (community.admissionCheckedAt !== null) expect([null, ['contract: missing Query.resource']]).toContainEqual(community.rejectionReasons);
      else expect(community.rejectionReasons).toBeNull();
    }
  });

  it('answers NOT_FOUND for a decision or a request about an unknown community', async () => {
    const decision = await h.request(ADMISSION, { id: 'nobody-here', accepted: true }, viewers.gateway);
    expect(decision.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const request = await h.request(REQUEST_ADMISSION, { id: 'nobody-here' }, viewers.federationAdmin);
    expect(request.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('announces every registration and status change as directory.changed, and nothing for a repeat', async () => {
    const events = h.subgraph.events as MemoryEventPublisher;
    const seen = () => events.events.filter((e) => e.type === LiveEventType.DIRECTORY_CHANGED && e.communityId === 'announce-a').map((e) => e.data?.status);
    await h.request(REGISTER, { input: registration('announce-a') }, viewers.federationAdmin);
    await h.request(ADMISSION, { id: 'announce-a', accepted: true }, viewers.gateway);
    await h.request(SUSPEND, { id: 'announce-a' }, viewers.federationAdmin);
    await h.request(SUSPEND, { id: 'announce-a' }, viewers.federationAdmin);
    await h.request(REACTIVATE, { id: 'announce-a' }, viewers.federationAdmin);
    await vi.waitFor(() => expect(seen()).toEqual(['PENDING', 'ACTIVE', 'SUSPENDED', 'ACTIVE']));
    expect(events.events.find((e) => e.communityId === 'announce-a')).toMatchObject({ subjectId: 'announce-a' });
  });
});

describe('resolving Community references', () => {
  it('resolves many representations with one SQL query, null for unknown ids, in the order asked', async () => {
    const execute = vi.spyOn(h.subgraph.orm.em.getConnection(), 'execute');
    try {
      const res = await h.request<{ _entities: Array<{ id: string; name: string } | null> }>(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Community { id name } } }`,
        {
          r: [
            { __typename: 'Community', id: 'qibao-c' },
            { __typename: 'Community', id: 'nowhere' },
            { __typename: 'Community', id: 'qibao-a' },
          ],
        },
        viewers.gateway,
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?._entities).toEqual([{ id: 'qibao-c', name: '七宝qibao-c社区' }, null, { id: 'qibao-a', name: '七宝A社区' }]);
      expect(execute).toHaveBeenCalledTimes(1);
    } finally {
      execute.mockRestore();
    }
  });
});
