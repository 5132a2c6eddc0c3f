import { describe, expect, it } from 'vitest';
import { describeWeeklyHours } from './hours';

const zh = (n: number) => ['周一', '周二', '周三', '周四', '周五', '周六', '周日'][n - 1] ?? '';
const week = (days: number[], opensAt: string, closesAt: string) => days.map((weekday) => ({ weekday, opensAt, closesAt }));

describe('opening hours as people say them', () => {
  it('joins runs of days with the same hours into a range', () => {
    expect(describeWeeklyHours(week([1, 2, 3, 4, 5], '08:00', '16:00'), zh, '、')).toEqual(['周一–周五 08:00–16:00']);
  });

  it('lists separate days and keeps different hours apart', () => {
    const hours = [...week([2, 4], '09:00', '11:30'), ...week([6, 7], '09:00', '17:00')];
    expect(describeWeeklyHours(hours, zh, '、')).toEqual(['周二、周四 09:00–11:30', '周六、周日 09:00–17:00']);
  });
});
