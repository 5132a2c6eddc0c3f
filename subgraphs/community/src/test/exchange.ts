import type {
  Answer,
  ExchangeClient,
  IssueRequest,
  PayFromFundRequest,
  Refusal,
  SettleHoldRequest,
  TransferView,
} from '../modules/exchange/exchange.client.js';

type Operation = 'issue' | 'payFromFund' | 'settleHoursHold';

interface Hold {
  id: string;
  payerId: string;
  amount: number;
  state: 'PENDING' | 'POSTED';
  reference: string;
}

/**
 * The shared ledger as a community sees it, in memory, for module tests: idempotent by
 * transfer id, balances per (holder, unit), the fund never below zero, `maxBalance` refused
 * as CONFLICT BALANCE_CAP. `down` makes every call unavailable; `refuseNext` makes the next
 * call of an operation refused. The real exchange is exercised end to end in infra.
 */
export class FakeExchange implements ExchangeClient {
  readonly transfers = new Map<string, TransferView & { operation: Operation; to: string; unit: string }>();
  readonly balances = new Map<string, number>();
  readonly holds = new Map<string, Hold>();
  /** Every call received, including ones answered as unavailable. */
  readonly calls: Operation[] = [];
  down = false;
  /** Carry out the next call but lose its answer (as a crash or time-out after the exchange committed would). */
  loseNextAnswer = false;
  private refusals = new Map<Operation, Refusal>();

  refuseNext(operation: Operation, code: string, extensions: Record<string, unknown> = {}): void {
    this.refusals.set(operation, { code, message: `refused: ${code}`, extensions: { code, ...extensions } });
  }

  balance(holder: string, unit = 'HOUR'): number {
    return this.balances.get(`${holder}:${unit}`) ?? 0;
  }

  /** A payer's hours set aside for a service in `communityId` (what `holdHours` does). */
  placeHold(id: string, payerId: string, amount: number, reference: string): void {
    this.move(payerId, 'hold', 'HOUR', amount, true);
    this.holds.set(id, { id, payerId, amount, state: 'PENDING', reference });
  }

  async issue(r: IssueRequest): Promise<Answer<TransferView>> {
    return this.answer('issue', r.id, () => {
      const to = r.residentId ?? 'fund';
      if (r.residentId !== null && r.maxBalance != null && this.balance(to, r.unit) + r.amount > r.maxBalance) {
        return this.refusal('CONFLICT', { reason: 'BALANCE_CAP' });
      }
      this.move('issuance', to, r.unit, r.amount, true);
      return this.record(r.id, 'issue', to, r.unit, r.amount, r.reference);
    });
  }

  async payFromFund(r: PayFromFundRequest): Promise<Answer<TransferView>> {
    return this.answer('payFromFund', r.id, () => {
      if (this.balance('fund', r.unit) < r.amount) return this.refusal('INSUFFICIENT_FUNDS');
      this.move('fund', r.residentId, r.unit, r.amount);
      return this.record(r.id, 'payFromFund', r.residentId, r.unit, r.amount, r.reference);
    });
  }

  async settleHoursHold(r: SettleHoldRequest): Promise<Answer<TransferView>> {
    return this.answer('settleHoursHold', r.id, () => {
      const hold = this.holds.get(r.holdId);
      if (!hold || hold.state !== 'PENDING') return this.refusal('NOT_FOUND');
      hold.state = 'POSTED';
      this.move('hold', r.residentId, 'HOUR', hold.amount);
      return this.record(r.id, 'settleHoursHold', r.residentId, 'HOUR', hold.amount, hold.reference);
    });
  }

  async hoursHold(_communityId: string, holdId: string): Promise<Answer<TransferView | null>> {
    if (this.down) return { kind: 'unavailable', reason: 'down' };
    const hold = this.holds.get(holdId);
    return { kind: 'ok', value: hold ? { id: hold.id, amount: hold.amount, state: hold.state, reference: hold.reference } : null };
  }

  async fundAvailable(): Promise<Answer<number>> {
    if (this.down) return { kind: 'unavailable', reason: 'down' };
    return { kind: 'ok', value: this.balance('fund') };
  }

  private answer(operation: Operation, id: string, act: () => TransferView | Refusal): Answer<TransferView> {
    this.calls.push(operation);
    if (this.down) return { kind: 'unavailable', reason: 'down' };
    const previous = this.transfers.get(id);
    if (previous) return { kind: 'ok', value: previous };
    const refusal = this.refusals.get(operation);
    if (refusal) {
      this.refusals.delete(operation);
      return { kind: 'refused', refusal };
    }
    const result = act();
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      return { kind: 'unavailable', reason: 'answer lost' };
    }
    return 'code' in result ? { kind: 'refused', refusal: result } : { kind: 'ok', value: result };
  }

  private refusal(code: string, extensions: Record<string, unknown> = {}): Refusal {
    return { code, message: `refused: ${code}`, extensions: { code, ...extensions } };
  }

  private move(from: string, to: string, unit: string, amount: number, unlimited = false): void {
    const fromKey = `${from}:${unit}`;
    if (!unlimited && from !== 'hold' && (this.balances.get(fromKey) ?? 0) < amount) throw new Error(`fake ledger: ${from} below zero`);
    this.balances.set(fromKey, (this.balances.get(fromKey) ?? 0) - amount);
    this.balances.set(`${to}:${unit}`, (this.balances.get(`${to}:${unit}`) ?? 0) + amount);
  }

  private record(id: string, operation: Operation, to: string, unit: string, amount: number, reference: string): TransferView {
    const transfer = { id, amount, state: 'POSTED', reference, operation, to, unit };
    this.transfers.set(id, transfer);
    return transfer;
  }
}
