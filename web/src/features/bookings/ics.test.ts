import { describe, expect, it } from 'vitest';
import { toIcs } from './ics';

describe('add to calendar', () => {
  const ics = toIcs(
    {
      uid: 'b-1@linli',
      startsAt: '2026-11-26T06:00:00.000Z',
      endsAt: '2026-11-26T07:00:00.000Z',
      title: '羽毛球场, 2 号场; 夜场',
      location: '沪星社区体育馆 2 楼',
      description: '七宝沪星社区 · 已确认 · '.repeat(6),
    },
    new Date('2026-11-25T00:00:00Z'),
  );

  it('writes an RFC 5545 event in UTC with CRLF line ends', () => {
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics).toContain('\r\nDTSTART:20261126T060000Z\r\n');
    expect(ics).toContain('\r\nDTEND:20261126T070000Z\r\n');
    expect(ics).toContain('\r\nDTSTAMP:20261125T000000Z\r\n');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  it('escapes separators and folds long lines at 75 octets without splitting a character', () => {
    expect(ics).toContain('SUMMARY:羽毛球场\\, 2 号场\\; 夜场');
    const lines = ics.split('\r\n');
    expect(lines.every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain(`DESCRIPTION:${'七宝沪星社区 · 已确认 · '.repeat(6)}`);
  });
});
