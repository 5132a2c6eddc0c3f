import { describe, expect, it } from 'vitest';
import { clear, netPositions } from './clearing.js';

describe('clearing obligations between communities', () => {
  it('cancels a three-way cycle and leaves what does not close one', () => {
    const result = clear([
      { debtor: 'a', creditor: 'b', amount: 15 },
      { debtor: 'b', creditor: 'c', amount: 10 },
      { debtor: 'c', creditor: 'a', amount: 10 },
    ]);
    expect(result.cycles).toEqual([{ path: ['a', 'b', 'c'], amount: 10 }]);
    expect(result.obligations).toEqual([
      { debtor: 'a', creditor: 'b', amount: 15, cleared: 10, remaining: 5 },
      { debtor: 'b', creditor: 'c', amount: 10, cleared: 10, remaining: 0 },
      { debtor: 'c', creditor: 'a', amount: 10, cleared: 10, remaining: 0 },
    ]);
  });

  it('nets two communities that owe each other', () => {
    const result = clear([
      { debtor: 'a', creditor: 'b', amount: 7 },
      { debtor: 'b', creditor: 'a', amount: 3 },
      { debtor: 'a', creditor: 'b', amount: 1 },
    ]);
    expect(result.obligations.map((o) => [o.debtor, o.creditor, o.remaining])).toEqual([
      ['a', 'b', 5],
      ['b', 'a', 0],
    ]);
  });

  it('keeps every community\'s net position, and leaves no cycle behind', () => {
    const input = [
      { debtor: 'a', creditor: 'b', amount: 9 },
      { debtor: 'b', creditor: 'c', amount: 4 },
      { debtor: 'c', creditor: 'd', amount: 6 },
      { debtor: 'd', creditor: 'a', amount: 2 },
      { debtor: 'c', creditor: 'a', amount: 3 },
      { debtor: 'd', creditor: 'b', amount: 8 },
    ];
    const result = clear(input);
    const before = netPositions(input);
    const after = netPositions(result.obligations.map((o) => ({ ...o, amount: o.remaining })));
    for (const [community, net] of before) expect(after.get(community) ?? 0).toBe(net);
    expect([...before.values()].reduce((s, v) => s + v, 0)).toBe(0);
    expect(clear(result.obligations.map((o) => ({ ...o, amount: o.remaining }))).cycles).toEqual([]);
    const clearedTotal = result.obligations.reduce((s, o) => s + o.cleared, 0);
    expect(clearedTotal).toBe(result.cycles.reduce((s, c) => s + c.amount * c.path.length, 0));
  });

  it('ignores nothing-owed and self-owed entries', () => {
    expect(clear([{ debtor: 'a', creditor: 'a', amount: 5 }, { debtor: 'a', creditor: 'b', amount: 0 }])).toEqual({ obligations: [], cycles: [] });
  });
});
