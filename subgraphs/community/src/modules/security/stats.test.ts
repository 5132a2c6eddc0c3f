import { ManualClock } from '@linli/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommunity, type CommunityHarness } from '../../test/harness.js';
import { errorOf, MINUTE, raiseOk, registerDevice, transition, viewersOf } from '../../test/security.js';

const COMMUNITY = 'sec-stats';
const clock = new ManualClock(new Date('2026-10-31T15:00:00Z')); // 23:00 on 31 October in Shanghai

let h: CommunityHarness;

interface Stats {
  month: string;
  totalAlarms: number;
  alarmsByType: Array<{ type: string; count: number }>;
  medianResponseMinutes: number | null;
}

function stats(month: string, id = COMMUNITY) {
  return h.request<{ _entities: Array<{ safetyStats: Stats | null } | null> }>(
    `query($r: [_Any!]!, $m: String!) { _entities(representations: $r) { ... on Community { safetyStats(month: $m) { month totalAlarms alarmsByType { type count } medianResponseMinutes } } } }`,
    { r: [{ __typename: 'Community', id }], m: month },
    viewersOf('elsewhere').residentElsewhere,
  );
}

beforeAll(async () => {
  h = await startCommunity(COMMUNITY, { clock });
  const door = await registerDevice(h);
  const smoke = await registerDevice(h, { kind: 'SMOKE_DETECTOR', name: '烟感', location: '1号楼' });
  let key = 0;
  const raiseAndAck = async (device: typeof door, type: string, ackAfterMinutes: number | null) => {
    const { alarmId } = await raiseOk(h, device, { type, idempotencyKey: `k${++key}` });
    if (ackAfterMinutes !== null) {
      clock.advance(ackAfterMinutes * MINUTE);
      expect((await transition(h, alarmId, 'ACKNOWLEDGED')).body.errors).toBeUndefined();
    }
    clock.advance(10 * MINUTE);
    return alarmId;
  };
  // October in Shanghai: one alarm.
  await raiseAndAck(door, 'TAILGATING', 1);
  clock.set(new Date('2026-10-31T17:00:00Z')); // 01:00 on 1 November in Shanghai
  await raiseAndAck(door, 'INTRUSION', 2);
  await raiseAndAck(smoke, 'FIRE_SMOKE', 10);
  await raiseAndAck(door, 'INTRUSION', 4);
  // An alarm never acknowledged counts, but not in the median; its repeat within the window
  // folds into it and is not counted again.
  await raiseOk(h, door, { type: 'PANIC', idempotencyKey: 'panic' });
  clock.advance(MINUTE);
  expect((await raiseOk(h, door, { type: 'PANIC', idempotencyKey: 'repeat' })).outcome).toBe('FOLDED');
});
afterAll(async () => {
  await h?.close();
});

describe('safety statistics', () => {
  it('count the month’s alarms by type (in the community’s time zone) and give the median minutes to acknowledge', async () => {
    const res = await stats('2026-11');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?._entities[0]?.safetyStats).toEqual({
      month: '2026-11',
      totalAlarms: 4,
      alarmsByType: [
        { type: 'INTRUSION', count: 2 },
        { type: 'FIRE_SMOKE', count: 1 },
        { type: 'PANIC', count: 1 },
      ],
      medianResponseMinutes: 4,
    });
    expect((await stats('2026-10')).body.data?._entities[0]?.safetyStats).toEqual({
      month: '2026-10',
      totalAlarms: 1,
      alarmsByType: [{ type: 'TAILGATING', count: 1 }],
      medianResponseMinutes: 1,
    });
  });

  it('are empty for a quiet month', async () => {
    expect((await stats('2026-09')).body.data?._entities[0]?.safetyStats).toEqual({ month: '2026-09', totalAlarms: 0, alarmsByType: [], medianResponseMinutes: null });
  });

  it.each(['2026-13', '2026-1', 'November'])('refuse the month %s as invalid input', async (month) => {
    const res = await stats(month);
    expect(errorOf(res.body)).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'month' });
  });
});
