import type { Clock } from '@linli/subgraph-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { CommunityServices } from './context.js';

/**
 * A periodic check a module registers (SLA deadlines, overdue visits, silent devices). It
 * gets its own EntityManager fork and the community's services; `now` comes from the clock,
 * so tests can run a check "later" without waiting.
 */
export interface ScheduledJob {
  name: string;
  run(em: EntityManager, services: CommunityServices, now: Date): Promise<void>;
}

/** Runs every job in turn every `intervalMs`; a slow pass is never overlapped by the next. */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly root: EntityManager,
    private readonly services: CommunityServices,
    private readonly clock: Clock,
    private readonly jobs: readonly ScheduledJob[],
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number): void {
    if (this.timer || this.jobs.length === 0) return;
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().finally(() => (this.running = null));
    }, intervalMs);
    this.timer.unref();
  }

  /** One pass over every job, now. Tests call it after moving the clock. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    for (const job of this.jobs) {
      try {
        await job.run(this.root.fork(), this.services, now);
      } catch (error) {
        this.logger.error({ err: error, job: job.name }, 'scheduled job failed');
      }
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
