import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '@linli/subgraph-kit';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import {
  admin,
  codes,
  createOk,
  createResource,
  federationAdmin,
  GET_RESOURCE,
  invalidFields,
  listNames,
  resident,
  resourceInput,
  staff,
  staffElsewhere,
} from '../../test/resources.js';

describe('creating a resource', () => {
  let h: CommunityHarness;
  beforeAll(async () => {
    h = await startCommunity('test-a');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lets staff create a resource with default policy, and anyone list it', async () => {
    const created = await createResource(h, resourceInput({ weeklyHours: [{ weekday: 3, opensAt: '14:00', closesAt: '18:00' }, { weekday: 1, opensAt: '08:00', closesAt: '12:00' }] }), staff);
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data?.createResource).toMatchObject({
      name: '体育馆',
      nameEn: 'Sports hall',
      kind: 'VENUE',
      capacity: 2,
      status: 'ACTIVE',
      communityId: 'test-a',
      description: '',
      locationEn: '',
      policy: { requiresApproval: false, slotMinutes: 60, minDurationMinutes: 60, maxDurationMinutes: 240, leadTimeMinutes: 60, maxDaysAhead: 30, priceCreditsPerSlot: 0 },
      weeklyHours: [
        { weekday: 1, opensAt: '08:00', closesAt: '12:00' },
        { weekday: 3, opensAt: '14:00', closesAt: '18:00' },
      ],
    });
    expect(await listNames(h)).toEqual(['体育馆']);
  });

  it('lets a community admin create a resource and keeps the policy given', async () => {
    const res = await createResource(h, resourceInput({ name: '会议室', kind: 'ROOM', policy: { slotMinutes: 30, requiresApproval: true, priceCreditsPerSlot: 5 } }), admin);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.createResource.policy).toMatchObject({ slotMinutes: 30, requiresApproval: true, priceCreditsPerSlot: 5, maxDurationMinutes: 240 });
  });

  it.each([
    ['a resident of the community', resident],
    ['an anonymous visitor', ANONYMOUS],
    ['staff of another community', staffElsewhere],
    ['a federation admin without a home community', federationAdmin],
  ])('refuses %s with FORBIDDEN and writes nothing', async (_who, viewer) => {
    const before = await listNames(h);
    const res = await createResource(h, resourceInput({ name: '不该出现' }), viewer);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(codes(res.body)).toEqual(['FORBIDDEN']);
    expect(await listNames(h)).toEqual(before);
  });

  it('answers BAD_USER_INPUT naming the community when asked for one it does not serve', async () => {
    const res = await createResource(h, resourceInput({ name: '不该出现' }), staff, 'test-b');
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.extensions?.communityId).toBe('test-b');
    expect(await listNames(h)).not.toContain('不该出现');
  });

  it.each([
    ['capacity 0', { capacity: 0 }, 'capacity'],
    ['an empty name', { name: '' }, 'name'],
    ['weekday 8', { weeklyHours: [{ weekday: 8, opensAt: '08:00', closesAt: '12:00' }] }, 'weeklyHours.0.weekday'],
    ['a time that is not HH:MM', { weeklyHours: [{ weekday: 1, opensAt: '8:00', closesAt: '12:00' }] }, 'weeklyHours.0.opensAt'],
    ['hour 25', { weeklyHours: [{ weekday: 1, opensAt: '08:00', closesAt: '25:00' }] }, 'weeklyHours.0.closesAt'],
    ['a 5-minute slot', { policy: { slotMinutes: 5 } }, 'policy.slotMinutes'],
  ])('rejects %s as BAD_USER_INPUT, naming the field, and writes nothing', async (_what, overrides, property) => {
    const before = await listNames(h);
    const res = await createResource(h, resourceInput({ name: '无效', ...overrides }), staff);
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(invalidFields(res.body)).toEqual([property]);
    expect(await listNames(h)).toEqual(before);
  });

  it.each([
    ['closesAt before opensAt', { weeklyHours: [{ weekday: 1, opensAt: '12:00', closesAt: '08:00' }] }, 'weeklyHours'],
    ['an empty window', { weeklyHours: [{ weekday: 1, opensAt: '08:00', closesAt: '08:00' }] }, 'weeklyHours'],
    ['a valid window followed by an inverted one', { weeklyHours: [{ weekday: 1, opensAt: '08:00', closesAt: '12:00' }, { weekday: 2, opensAt: '18:00', closesAt: '09:00' }] }, 'weeklyHours'],
    ['minDurationMinutes above maxDurationMinutes', { policy: { minDurationMinutes: 120, maxDurationMinutes: 60 } }, 'policy'],
    ['minDurationMinutes above the default maximum', { policy: { minDurationMinutes: 300 } }, 'policy'],
  ])('rejects %s as BAD_USER_INPUT and writes nothing', async (_what, overrides, argument) => {
    const before = await listNames(h);
    const res = await createResource(h, resourceInput({ name: '无效', ...overrides }), staff);
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.extensions?.argument).toBe(argument);
    expect(await listNames(h)).toEqual(before);
  });

  it("accepts '24:00' as a closing time", async () => {
    const res = await createResource(h, resourceInput({ name: '夜间自习室', weeklyHours: [{ weekday: 5, opensAt: '20:00', closesAt: '24:00' }] }), staff);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.createResource.weeklyHours).toEqual([{ weekday: 5, opensAt: '20:00', closesAt: '24:00' }]);
  });
});

describe('looking up one resource', () => {
  let h: CommunityHarness;
  let id: string;
  beforeAll(async () => {
    h = await startCommunity('test-a');
    id = await createOk(h, resourceInput());
  });
  afterAll(async () => {
    await h?.close();
  });

  it('returns a known resource to anyone', async () => {
    const res = await h.request<{ resource: { id: string; name: string; communityId: string } }>(GET_RESOURCE, { communityId: 'test-a', id });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.resource).toEqual({ id, name: '体育馆', status: 'ACTIVE', communityId: 'test-a', weeklyHours: [{ weekday: 1, opensAt: '08:00', closesAt: '12:00' }] });
  });

  it.each([
    ['an unknown id', '00000000-0000-4000-8000-000000000000'],
    ['a malformed id', 'not-a-uuid'],
    ['an id with SQL in it', "1' or '1'='1"],
  ])('answers null with NOT_FOUND for %s', async (_what, unknown) => {
    const res = await h.request<{ resource: unknown }>(GET_RESOURCE, { communityId: 'test-a', id: unknown });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ resource: null });
    expect(codes(res.body)).toEqual(['NOT_FOUND']);
    expect(res.body.errors?.[0]?.path).toEqual(['resource']);
    expect(res.body.errors?.[0]?.extensions?.resourceId).toBe(unknown);
  });

  it('answers BAD_USER_INPUT for a community it does not serve, even for a known id', async () => {
    const res = await h.request<{ resource: unknown }>(GET_RESOURCE, { communityId: 'test-b', id });
    expect(res.body.data).toEqual({ resource: null });
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
  });
});
