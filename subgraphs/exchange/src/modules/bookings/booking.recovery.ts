import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import * as ledger from '../ledger/ledger.service.js';
import type { BookingSaga } from './booking.saga.js';

/**
 * Settles what no request is driving any more: sagas whose driver died (its lease ran
 * out), holds still to be freed in a community that was down, bookings left undecided past
 * their approval deadline, and pending transfers past their timeout. Runs every
 * `intervalMs` in each exchange process; leases keep two processes off the same booking.
 */
export class BookingRecovery {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly root: EntityManager,
    private readonly saga: BookingSaga,
    private readonly logger: Logger,
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().then(() => undefined).finally(() => (this.running = null));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; returns how many bookings it drove. Exposed for tests and for start-up. */
  async tick(): Promise<number> {
    try {
      await ledger.expirePendingTransfers(this.root.fork());
      const connection = this.root.getConnection();
      await connection.execute(
        `update "booking" set "next" = 'UNDO', "undo_to" = 'EXPIRED', "updated_at" = now()
          where "status" = 'AWAITING_APPROVAL' and "next" is null and "approval_deadline" < now()`,
      );
      const rows = await connection.execute<{ id: string }[]>(
        `select "id" from "booking"
          where "next" is not null
            and ("lease_until" is null or "lease_until" < now())
            and ("retry_at" is null or "retry_at" <= now())
          order by "updated_at" limit 50`,
      );
      for (const { id } of rows) {
        await this.saga.drive(id).catch((error: unknown) => this.logger.error({ err: error, bookingId: id }, 'booking recovery step failed'));
      }
      return rows.length;
    } catch (error) {
      this.logger.error({ err: error }, 'booking recovery pass failed');
      return 0;
    }
  }
}
