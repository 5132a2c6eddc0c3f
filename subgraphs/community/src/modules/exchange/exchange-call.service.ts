import type { LinliEvent } from '@linli/subgraph-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CommunityServices } from '../../context.js';
import type { ScheduledJob } from '../../scheduler.js';
import type { Answer, ExchangeClient, IssueRequest, PayFromFundRequest, Refusal, SettleHoldRequest, TransferView } from './exchange.client.js';
import { ExchangeCall, ExchangeCallStatus, ExchangeOperation } from './exchange-call.entity.js';

/** The exchange's settled answer to a call. */
export type CallOutcome = { kind: 'done'; transfer: TransferView } | { kind: 'refused'; refusal: Refusal };

/**
 * Applies the exchange's answer to the call's subject, inside the transaction that marks the
 * call DONE or REFUSED (so an answer is applied exactly once). It may record follow-up calls.
 * Returns the events to announce once that transaction has committed.
 */
export type OutcomeHandler = (tx: EntityManager, call: ExchangeCall, outcome: CallOutcome, services: CommunityServices) => Promise<LinliEvent[]>;

/** The longest wait between two attempts of a call the exchange did not answer. */
export const MAX_RETRY_MS = 60_000;

export type NewCall =
  | { id: string; operation: ExchangeOperation.ISSUE; subjectType: string; subjectId: string; payload: IssueRequest }
  | { id: string; operation: ExchangeOperation.PAY_FROM_FUND; subjectType: string; subjectId: string; payload: PayFromFundRequest }
  | { id: string; operation: ExchangeOperation.SETTLE_HOURS_HOLD; subjectType: string; subjectId: string; payload: SettleHoldRequest };

/** Records a call in the caller's transaction (flushed with it); it is due at once. */
export function recordCall(tx: EntityManager, call: NewCall, now: Date): ExchangeCall {
  return tx.create(ExchangeCall, {
    id: call.id,
    operation: call.operation,
    subjectType: call.subjectType,
    subjectId: call.subjectId,
    payload: { ...call.payload },
    nextAttemptAt: now,
    createdAt: now,
  });
}

/**
 * Sends one PENDING call, unless another request or the scheduler is sending it right now
 * (its row is locked: skipped, never waited for). The row stays locked, in one transaction,
 * from before the call until its answer is recorded: a crash anywhere in between leaves it
 * PENDING, and the retry, under the same idempotency key, gets the exchange's first answer.
 * Returns the call's status afterwards (null: someone else holds it, or it is not pending).
 */
export async function sendCall(root: EntityManager, services: CommunityServices, callId: string, handler: OutcomeHandler): Promise<ExchangeCallStatus | null> {
  const exchange = services.exchange;
  if (!exchange) return ExchangeCallStatus.PENDING;
  let events: LinliEvent[] = [];
  const status = await root.fork().transactional(async (tx) => {
    const locked = await tx.execute<Array<{ id: string }>>(`select id from exchange_call where id = ? and status = 'PENDING' for update skip locked`, [callId]);
    if (locked.length === 0) return null;
    const call = await tx.findOneOrFail(ExchangeCall, { id: callId }, { refresh: true });
    const answer = await perform(exchange, call);
    call.attempts += 1;
    if (answer.kind === 'unavailable') {
      call.nextAttemptAt = new Date(services.clock.now().getTime() + Math.min(1000 * 2 ** (call.attempts - 1), MAX_RETRY_MS));
      call.lastError = answer.reason.slice(0, 1000);
      return call.status;
    }
    if (answer.kind === 'ok') {
      call.status = ExchangeCallStatus.DONE;
      call.transferId = answer.value.id;
      call.lastError = null;
      events = await handler(tx, call, { kind: 'done', transfer: answer.value }, services);
    } else {
      call.status = ExchangeCallStatus.REFUSED;
      call.lastError = `${answer.refusal.code}: ${answer.refusal.message}`.slice(0, 1000);
      events = await handler(tx, call, { kind: 'refused', refusal: answer.refusal }, services);
    }
    return call.status;
  });
  for (const event of events) await services.events.publish(event);
  return status;
}

/**
 * Sends the due calls of one subject in the order they were recorded, including follow-ups
 * their answers record, until none is due or the exchange cannot be reached.
 */
export async function sendSubjectCalls(root: EntityManager, services: CommunityServices, subject: { type: string; id: string }, handler: OutcomeHandler): Promise<void> {
  for (let round = 0; round < 5; round += 1) {
    const due = await root.fork().find(
      ExchangeCall,
      { subjectType: subject.type, subjectId: subject.id, status: ExchangeCallStatus.PENDING, nextAttemptAt: { $lte: services.clock.now() } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    if (due.length === 0) return;
    for (const call of due) {
      if ((await sendCall(root, services, call.id, handler)) === ExchangeCallStatus.PENDING) return;
    }
  }
}

/** A scheduler job that retries the due calls of some subject types (at most `batch` a pass). */
export function exchangeCallJob(name: string, subjectTypes: readonly string[], handler: OutcomeHandler, batch = 50): ScheduledJob {
  return {
    name,
    async run(em, services, now) {
      const due = await em.find(
        ExchangeCall,
        { subjectType: { $in: [...subjectTypes] }, status: ExchangeCallStatus.PENDING, nextAttemptAt: { $lte: now } },
        { orderBy: { nextAttemptAt: 'asc' }, limit: batch },
      );
      for (const call of due) await sendCall(em, services, call.id, handler);
    },
  };
}

function perform(exchange: ExchangeClient, call: ExchangeCall): Promise<Answer<TransferView>> {
  switch (call.operation) {
    case ExchangeOperation.ISSUE:
      return exchange.issue(call.payload as unknown as IssueRequest);
    case ExchangeOperation.PAY_FROM_FUND:
      return exchange.payFromFund(call.payload as unknown as PayFromFundRequest);
    case ExchangeOperation.SETTLE_HOURS_HOLD:
      return exchange.settleHoursHold(call.payload as unknown as SettleHoldRequest);
  }
}
