import { CommunityUnavailableError, ConflictError, ErrorCode, LinliError } from '@linli/subgraph-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { LedgerUnit } from '../ledger/account.entity.js';
import * as ledger from '../ledger/ledger.service.js';
import { TransferCode } from '../ledger/transfer.entity.js';
import { Booking, BookingStatus, FundsState, HoldState, SagaStep } from './booking.entity.js';
import { errorFrom } from './booking.errors.js';
import type { Answer, HoldView, OwningCommunity } from './owning-community.js';

export interface SagaSettings {
  /** How long an instant booking's hold lives before it must be confirmed. */
  holdSeconds: number;
  /** How long staff have to decide on a booking that needs approval (capped at its start). */
  approvalWindowSeconds: number;
  /** How long a driver owns a booking before another may take over. */
  leaseSeconds: number;
  /** How long to leave a booking alone after its community could not be reached. */
  retrySeconds: number;
}

export const DEFAULT_SAGA_SETTINGS: SagaSettings = {
  holdSeconds: 300,
  approvalWindowSeconds: 48 * 3600,
  leaseSeconds: 10,
  retrySeconds: 2,
};

/**
 * Test-only fault injection (SAGA_FAULT): after a step's remote call returns, crash the
 * process or pause, so that tests can kill a service at exactly that point.
 */
export interface SagaFaults {
  after(step: SagaStep, booking: Booking): Promise<void>;
}

/**
 * The cross-community booking saga: reserve funds (pending transfer) → hold capacity in the
 * owning community → confirm the hold → post the transfer. Every step's outcome is saved
 * before the next starts, and every step is idempotent (ids chosen up front, the hold keyed
 * by the booking id), so a driver that dies anywhere is replaced by another — a replayed
 * request or the recovery loop — that runs the same steps from where it stopped.
 */
export class BookingSaga {
  /** This process, as a lease owner. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly root: EntityManager,
    readonly community: OwningCommunity,
    readonly settings: SagaSettings = DEFAULT_SAGA_SETTINGS,
    private readonly faults?: SagaFaults,
  ) {}

  /**
   * Runs the booking's remaining steps, unless another driver holds it; then waits up to
   * `waitMs` for that driver to finish. Returns the booking as it stands.
   */
  async drive(id: string, waitMs = 0): Promise<Booking> {
    const deadline = Date.now() + waitMs;
    for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
      if (await this.claim(id)) {
        try {
          await this.run(id);
        } finally {
          await this.releaseLease(id);
        }
      }
      const booking = await this.root.fork().findOneOrFail(Booking, { id });
      const busy = booking.next !== null && booking.retryAt === null;
      if (!busy || Date.now() >= deadline) return booking;
      await sleep(pause);
    }
  }

  private async claim(id: string): Promise<boolean> {
    const rows = await this.root.getConnection().execute<{ id: string }[]>(
      `update "booking" set "lease_owner" = ?, "lease_until" = now() + make_interval(secs => ?)
        where "id" = ? and "next" is not null
          and ("lease_until" is null or "lease_until" < now() or "lease_owner" = ?)
        returning "id"`,
      [this.owner, this.settings.leaseSeconds, id, this.owner],
    );
    return rows.length === 1;
  }

  private async renewLease(id: string): Promise<boolean> {
    const rows = await this.root
      .getConnection()
      .execute<{ id: string }[]>(
        `update "booking" set "lease_until" = now() + make_interval(secs => ?) where "id" = ? and "lease_owner" = ? returning "id"`,
        [this.settings.leaseSeconds, id, this.owner],
      );
    return rows.length === 1;
  }

  private async releaseLease(id: string): Promise<void> {
    await this.root
      .getConnection()
      .execute(`update "booking" set "lease_owner" = null, "lease_until" = null where "id" = ? and "lease_owner" = ?`, [id, this.owner]);
  }

  private async run(id: string): Promise<void> {
    const em = this.root.fork();
    const booking = await em.findOneOrFail(Booking, { id });
    booking.retryAt = null;
    while (booking.next) {
      // Each step is bounded (remote calls time out in 8 s), so a lease renewed before each
      // one outlives it; a driver that lost its lease (it stalled) stops here.
      if (!(await this.renewLease(id))) return;
      const step = booking.next;
      const progressed = await this.step(em, booking, step);
      await em.flush();
      if (!progressed) return; // the community is away: the recovery loop comes back later
    }
  }

  /** One step. Returns false when it must wait for the owning community. */
  private async step(em: EntityManager, b: Booking, step: SagaStep): Promise<boolean> {
    switch (step) {
      case SagaStep.RESERVE_FUNDS:
        return this.reserveFunds(em, b);
      case SagaStep.PLACE_HOLD:
        return this.placeHold(em, b);
      case SagaStep.CONFIRM:
        return this.confirm(em, b);
      case SagaStep.UNDO:
        return this.undo(em, b);
      case SagaStep.CANCEL:
        return this.cancel(em, b);
      case SagaStep.RELEASE_HOLD:
        return this.releaseHold(b);
    }
  }

  private async reserveFunds(em: EntityManager, b: Booking): Promise<boolean> {
    if (b.priceCredits > 0 && b.fundsState === FundsState.NONE) {
      const [payer, payee] = await this.accounts(em, b);
      const timeoutSeconds = b.requiresApproval
        ? Math.ceil((b.approvalDeadline!.getTime() - Date.now()) / 1000) + 600
        : this.settings.holdSeconds + 600;
      try {
        await ledger.createTransfer(em.fork(), {
          id: b.transferId,
          debitAccountId: payer,
          creditAccountId: payee,
          amount: b.priceCredits,
          unit: LedgerUnit.CREDIT,
          code: TransferCode.BOOKING,
          reference: b.id,
          memo: `预约 booking ${b.id}`,
          pending: { timeoutSeconds: Math.max(timeoutSeconds, 60) },
        });
      } catch (error) {
        if (!(error instanceof LinliError) || error.code === ErrorCode.INTERNAL_SERVER_ERROR) throw error;
        fail(b, error);
        b.status = BookingStatus.FAILED;
        b.next = null;
        return true;
      }
      b.fundsState = FundsState.PENDING;
    }
    b.next = SagaStep.PLACE_HOLD;
    return true;
  }

  private async placeHold(em: EntityManager, b: Booking): Promise<boolean> {
    if (b.holdState === HoldState.NONE) {
      b.holdState = HoldState.MAYBE; // saved before asking: a lost reply must not orphan a hold
      await em.flush();
    }
    const expiresAt = b.requiresApproval ? b.approvalDeadline! : new Date(Date.now() + this.settings.holdSeconds * 1000);
    const answer = await this.community.placeHold(b.communityId, {
      resourceId: b.resourceId,
      startsAt: b.startsAt,
      endsAt: b.endsAt,
      quantity: b.quantity,
      bookingRef: b.id,
      expiresAt,
    });
    await this.faults?.after(SagaStep.PLACE_HOLD, b);
    if (answer.kind === 'ok') {
      const hold = answer.value;
      if (hold.status === 'HELD') {
        b.holdState = HoldState.HELD;
        if (b.requiresApproval) {
          b.status = BookingStatus.AWAITING_APPROVAL;
          b.next = null;
        } else {
          b.next = SagaStep.CONFIRM;
        }
      } else if (hold.status === 'CONFIRMED') {
        b.holdState = HoldState.CONFIRMED;
        b.next = SagaStep.CONFIRM;
      } else {
        this.startUndo(b, BookingStatus.FAILED, holdGone(b, hold));
      }
    } else {
      if (answer.kind === 'refused') b.holdState = HoldState.NONE;
      this.startUndo(b, BookingStatus.FAILED, asError(b, answer));
    }
    return true;
  }

  private async confirm(em: EntityManager, b: Booking): Promise<boolean> {
    const answer = await this.community.confirmHold(b.communityId, b.id);
    await this.faults?.after(SagaStep.CONFIRM, b);
    if (answer.kind === 'ok' && answer.value.status === 'CONFIRMED') {
      b.holdState = HoldState.CONFIRMED;
      if (b.fundsState === FundsState.PENDING) {
        try {
          await ledger.postPendingTransfer(em.fork(), { id: b.postTransferId, pendingId: b.transferId });
        } catch (error) {
          // Only an expired pending transfer can refuse (after a very long outage).
          if (!(error instanceof ConflictError)) throw error;
          this.startUndo(b, BookingStatus.FAILED, error);
          return true;
        }
        b.fundsState = FundsState.POSTED;
      }
      b.status = BookingStatus.CONFIRMED;
      b.confirmedAt = new Date();
      b.next = null;
      return true;
    }
    if (answer.kind === 'unavailable' && b.status === BookingStatus.AWAITING_APPROVAL) {
      // A decision needs its community: take it back, and tell the approver to try again.
      b.next = null;
      b.decidedBy = null;
      b.decidedAt = null;
      return true;
    }
    this.startUndo(b, BookingStatus.FAILED, answer.kind === 'ok' ? holdGone(b, answer.value) : asError(b, answer));
    return true;
  }

  private async undo(em: EntityManager, b: Booking): Promise<boolean> {
    if (b.fundsState === FundsState.PENDING) {
      await ledger.voidPendingTransfer(em.fork(), { id: b.voidTransferId, pendingId: b.transferId }).catch((error: unknown) => {
        // Expired meanwhile: already released, which is what voiding wanted.
        if (!(error instanceof ConflictError && (error.extensions as { reason?: string }).reason === 'PENDING_EXPIRED')) throw error;
      });
      b.fundsState = FundsState.VOIDED;
    }
    b.status = b.undoTo ?? BookingStatus.FAILED;
    b.undoTo = null;
    b.next = holdMayExist(b) ? SagaStep.RELEASE_HOLD : null;
    return true;
  }

  private async cancel(em: EntityManager, b: Booking): Promise<boolean> {
    if (b.refundedCredits > 0 && b.refundTransferId) {
      const [resident, revenue] = await this.accounts(em, b);
      await ledger.createTransfer(em.fork(), {
        id: b.refundTransferId,
        debitAccountId: revenue,
        creditAccountId: resident,
        amount: b.refundedCredits,
        unit: LedgerUnit.CREDIT,
        code: TransferCode.REFUND,
        reference: b.id,
        memo: `取消退款 refund ${b.id}`,
      });
    }
    b.status = BookingStatus.CANCELLED;
    b.next = holdMayExist(b) ? SagaStep.RELEASE_HOLD : null;
    return true;
  }

  private async releaseHold(b: Booking): Promise<boolean> {
    const answer = await this.community.releaseHold(b.communityId, b.id);
    if (answer.kind === 'unavailable') {
      b.retryAt = new Date(Date.now() + this.settings.retrySeconds * 1000);
      return false;
    }
    // Released now, or never placed (null), or refused as unknown: nothing is held either way.
    b.holdState = HoldState.RELEASED;
    b.next = null;
    return true;
  }

  private startUndo(b: Booking, to: BookingStatus, error: LinliError): void {
    if (to === BookingStatus.FAILED) fail(b, error);
    b.undoTo = to;
    b.next = SagaStep.UNDO;
  }

  private async accounts(em: EntityManager, b: Booking): Promise<[resident: string, revenue: string]> {
    const fork = em.fork();
    const resident = await ledger.residentAccount(fork, b.residentId, b.residentCommunityId, LedgerUnit.CREDIT);
    const revenue = await ledger.communityRevenueAccount(fork, b.communityId, LedgerUnit.CREDIT);
    return [resident.id, revenue.id];
  }
}

function holdMayExist(b: Booking): boolean {
  return b.holdState === HoldState.MAYBE || b.holdState === HoldState.HELD || b.holdState === HoldState.CONFIRMED;
}

function fail(b: Booking, error: LinliError): void {
  const { code, http: _http, ...details } = error.extensions as Record<string, unknown>;
  b.failureCode = String(code ?? error.code);
  b.failureMessage = error.message;
  b.failureDetails = { ...details, bookingId: b.id };
}

function asError(b: Booking, answer: Exclude<Answer<unknown>, { kind: 'ok' }>): LinliError {
  if (answer.kind === 'unavailable') return new CommunityUnavailableError(b.communityId, answer.reason);
  return errorFrom(answer.refusal.code, answer.refusal.message, answer.refusal.extensions);
}


function holdGone(b: Booking, hold: HoldView): LinliError {
  return new ConflictError('预留已失效', 'The hold on the resource has lapsed', { reason: 'HOLD_EXPIRED', holdStatus: hold.status, bookingId: b.id });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
