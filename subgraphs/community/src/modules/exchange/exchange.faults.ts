import type { Logger } from 'pino';
import type { ExchangeClient } from './exchange.client.js';
import { ExchangeOperation } from './exchange-call.entity.js';

export const EXCHANGE_CALL_FAULT = /^crash-after:(ISSUE|PAY_FROM_FUND|SETTLE_HOURS_HOLD)$/;

/**
 * Test-only (EXCHANGE_CALL_FAULT, e.g. `crash-after:ISSUE`): once the exchange has carried out
 * a call of that operation, this process is killed (SIGKILL, no cleanup) before it records
 * the answer — the crash between the two sides that the outbox must survive.
 */
export function withExchangeFaults(client: ExchangeClient, spec: string | null, logger: Logger): ExchangeClient {
  if (!spec) return client;
  const operation = spec.slice('crash-after:'.length) as ExchangeOperation;
  logger.warn({ fault: spec }, 'exchange call fault injection is on (tests only)');
  const crashAfter =
    <A extends unknown[], R extends { kind: string }>(op: ExchangeOperation, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const answer = await call(...args);
      if (op === operation && answer.kind === 'ok') process.kill(process.pid, 'SIGKILL');
      return answer;
    };
  return {
    issue: crashAfter(ExchangeOperation.ISSUE, (r) => client.issue(r)),
    payFromFund: crashAfter(ExchangeOperation.PAY_FROM_FUND, (r) => client.payFromFund(r)),
    settleHoursHold: crashAfter(ExchangeOperation.SETTLE_HOURS_HOLD, (r) => client.settleHoursHold(r)),
    hoursHold: (c, id) => client.hoursHold(c, id),
    fundAvailable: (c) => client.fundAvailable(c),
  };
}
