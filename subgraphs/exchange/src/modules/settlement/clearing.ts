/**
 * Multilateral clearing of obligations between communities, as plain values. Whatever
 * runs in a cycle (A owes B, B owes C, C owes A — or just A owes B and B owes A) cancels
 * out without anyone paying; what is left has no cycle and is what must really be paid.
 */
export interface Obligation {
  debtor: string;
  creditor: string;
  amount: number;
}

export interface Cleared extends Obligation {
  /** The part of `amount` cancelled by cycles. */
  cleared: number;
  /** What is still owed after clearing. */
  remaining: number;
}

export interface Clearing {
  obligations: Cleared[];
  /** Each cycle cleared, in order, with the amount taken off every edge of it. */
  cycles: Array<{ path: string[]; amount: number }>;
}

const key = (debtor: string, creditor: string) => `${debtor}\u0000${creditor}`;

export function clear(obligations: readonly Obligation[]): Clearing {
  const gross = new Map<string, Obligation>();
  for (const o of obligations) {
    if (o.amount <= 0 || o.debtor === o.creditor) continue;
    const k = key(o.debtor, o.creditor);
    const seen = gross.get(k);
    gross.set(k, { debtor: o.debtor, creditor: o.creditor, amount: (seen?.amount ?? 0) + o.amount });
  }
  const open = new Map([...gross].map(([k, o]) => [k, o.amount]));
  const cycles: Clearing['cycles'] = [];
  for (let path = findCycle(open); path; path = findCycle(open)) {
    const edges = path.map((from, i) => key(from, path[(i + 1) % path.length]!));
    const amount = Math.min(...edges.map((e) => open.get(e)!));
    for (const e of edges) {
      const left = open.get(e)! - amount;
      if (left === 0) open.delete(e);
      else open.set(e, left);
    }
    cycles.push({ path, amount });
  }
  const result = [...gross.entries()]
    .map(([k, o]) => ({ ...o, remaining: open.get(k) ?? 0, cleared: o.amount - (open.get(k) ?? 0) }))
    .sort((a, b) => a.debtor.localeCompare(b.debtor) || a.creditor.localeCompare(b.creditor));
  return { obligations: result, cycles };
}

/** Net position per community: positive is owed to it, negative it owes. Sums to zero. */
export function netPositions(obligations: readonly Obligation[]): Map<string, number> {
  const net = new Map<string, number>();
  for (const o of obligations) {
    net.set(o.debtor, (net.get(o.debtor) ?? 0) - o.amount);
    net.set(o.creditor, (net.get(o.creditor) ?? 0) + o.amount);
  }
  return net;
}

/** A directed cycle among the open edges, as its nodes in order, found deterministically. */
function findCycle(open: Map<string, number>): string[] | null {
  const next = new Map<string, string[]>();
  for (const k of [...open.keys()].sort()) {
    const [from, to] = k.split('\u0000') as [string, string];
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === 'visiting') return stack.slice(stack.indexOf(to));
      if (!state.has(to)) {
        const found = visit(to);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of [...next.keys()].sort()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return null;
}
