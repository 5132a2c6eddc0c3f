import { ErrorCode } from '@linli/subgraph-kit/errors';
import { ANONYMOUS } from '@linli/subgraph-kit/identity';
import type { LinliEvent } from '@linli/subgraph-kit/events';
import type { Logger } from '@linli/subgraph-kit/logger';
import { toExecutionResult, type FormattedResult } from './errors.js';
import { Semaphore } from './limits.js';
import { RESOLUTION_OPERATION } from './operation.js';
import { resolutionVariables, type Execute, type LiveRegistry } from './registry.js';
import type { LiveResult, LiveSubscription } from './subscription.js';

/** Counters since start; `GET /live/metrics` shows them. */
export interface LiveCounters {
  /** Events received (from Redis). */
  events: number;
  /** Subscriptions those events reached. */
  matched: number;
  /** Queries run to resolve them: at most one per distinct (plan, scope) per event. */
  resolutions: number;
  /** Payloads handed to subscribers. */
  deliveries: number;
  /** Resolutions that showed the subscriber nothing (entity gone, or not theirs to see): not delivered. */
  suppressed: number;
  /** Resolutions that failed outright (delivered as an INTERNAL_SERVER_ERROR payload). */
  failed: number;
}

/** Errors that mean "not yours to see": a payload that is only this is not delivered. */
const HIDING = new Set<string>([ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED, ErrorCode.NOT_FOUND]);

/**
 * Turns an event into payloads. The subscriptions it reaches are grouped by resolution plan
 * (normalised query + variables) and scope (whose eyes): each group is resolved once,
 * through the gateway's own query plan as that scope's viewer, and the one answer is
 * queued to every subscription in the group. Authorisation at delivery comes from that
 * resolution: what the viewer may not see comes back hidden, and is not sent.
 */
export class Dispatcher {
  readonly counters: LiveCounters = { events: 0, matched: 0, resolutions: 0, deliveries: 0, suppressed: 0, failed: 0 };
  private readonly limiter: Semaphore;

  constructor(
    private readonly registry: LiveRegistry,
    private readonly execute: Execute,
    private readonly logger: Logger,
    concurrency: number,
  ) {
    this.limiter = new Semaphore(concurrency);
  }

  /** Queues the event's payloads on every subscription it reaches; returns how many resolutions it takes. */
  dispatch(event: LinliEvent): number {
    this.counters.events += 1;
    const reached = this.registry.match(event);
    this.counters.matched += reached.length;
    const groups = new Map<string, LiveSubscription[]>();
    for (const s of reached) {
      const key = `${s.plan.key}|${s.scopeKey}`;
      const group = groups.get(key);
      if (group) group.push(s);
      else groups.set(key, [s]);
    }
    for (const group of groups.values()) {
      const resolution = this.limiter.run(() => this.resolve(group[0]!, event)).then((result) => {
        if (result) this.counters.deliveries += group.filter((s) => s.open).length;
        else this.counters.suppressed += 1;
        return result;
      });
      for (const s of group) s.enqueue(resolution);
    }
    return groups.size;
  }

  private async resolve(s: LiveSubscription, event: LinliEvent): Promise<LiveResult | null> {
    this.counters.resolutions += 1;
    const { plan, field } = s;
    try {
      const result = await this.execute(
        { query: plan.query, operationName: RESOLUTION_OPERATION, variables: resolutionVariables(plan, field.entity.values(event)) },
        field.sharing === 'public' ? ANONYMOUS : s.viewer,
      );
      return visible(result, plan.responseKey) ? toExecutionResult(result) : null;
    } catch (error) {
      this.counters.failed += 1;
      this.logger.error({ err: error, field: field.name, event: event.type, subjectId: event.subjectId }, 'live resolution failed');
      return toExecutionResult({
        data: { [plan.responseKey]: null },
        errors: [{ message: '服务器内部错误 (Internal server error)', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }],
      });
    }
  }
}

/**
 * A payload is sent unless the entity came back null for a reason that hides it (or for no
 * reason: gone). A null because its community is unavailable is sent, with that error.
 */
function visible(result: FormattedResult, responseKey: string): boolean {
  if (result.data?.[responseKey] != null) return true;
  const rootErrors = (result.errors ?? []).filter((e) => !e.path || e.path[0] === responseKey);
  if (!rootErrors.length) return false;
  return !rootErrors.some((e) => HIDING.has(String(e.extensions?.code)));
}
