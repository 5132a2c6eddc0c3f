import { DEFINITIVE_CODES, GatewayServiceClient, type Answer, type Refusal } from '@linli/subgraph-kit';

/**
 * How this community reaches the shared ledger: through the gateway, as its own SERVICE
 * identity (a token whose `community` claim is this community), so the exchange lets it
 * act for this community only. Every answer is classified, as the exchange classifies the
 * communities' answers to its booking saga: done, refused for good, or unknown (could not
 * ask, or no considered answer) — then the outcome is unknown and the call is retried with
 * the same idempotency key until it is known.
 */

export type LedgerUnit = 'CREDIT' | 'HOUR';

/** What the exchange answered about a transfer. */
export interface TransferView {
  id: string;
  amount: number;
  state: string;
  reference: string | null;
}

export type { Answer, Refusal };

export interface IssueRequest {
  /** The idempotency key: the transfer id. */
  id: string;
  communityId: string;
  /** Null: into the community's own fund. */
  residentId: string | null;
  amount: number;
  unit: LedgerUnit;
  reference: string;
  memo?: string | null;
  /** Refused (CONFLICT, reason BALANCE_CAP) if the resident's balance would exceed it. */
  maxBalance?: number | null;
}

export interface PayFromFundRequest {
  id: string;
  communityId: string;
  residentId: string;
  amount: number;
  unit: LedgerUnit;
  reference: string;
  memo?: string | null;
}

export interface SettleHoldRequest {
  id: string;
  communityId: string;
  holdId: string;
  residentId: string;
}

export interface ExchangeClient {
  issue(request: IssueRequest): Promise<Answer<TransferView>>;
  payFromFund(request: PayFromFundRequest): Promise<Answer<TransferView>>;
  settleHoursHold(request: SettleHoldRequest): Promise<Answer<TransferView>>;
  /** The hours hold `holdId` if it pays into this community; null if not (or no such hold). */
  hoursHold(communityId: string, holdId: string): Promise<Answer<TransferView | null>>;
  /** Hours the community's fund may still pay out. */
  fundAvailable(communityId: string): Promise<Answer<number>>;
}

/**
 * Codes that are the exchange's considered answer. UNAUTHENTICATED (our token is wrong) and
 * INTERNAL_SERVER_ERROR or COMMUNITY_UNAVAILABLE mean "ask again later". FORBIDDEN is final
 * here: the exchange refuses it for a resident of another community, which a retry cannot change.
 */
const DEFINITIVE = [...DEFINITIVE_CODES, 'FORBIDDEN'];

const TRANSFER_FIELDS = 'id amount state reference';

export class GatewayExchangeClient implements ExchangeClient {
  private readonly client: GatewayServiceClient;

  constructor(gatewayUrl: string, serviceToken: string, timeoutMs = 8_000) {
    this.client = new GatewayServiceClient(gatewayUrl, serviceToken, { timeoutMs, definitive: DEFINITIVE });
  }

  issue(r: IssueRequest) {
    return this.call<TransferView>('issueFromCommunity', `mutation($input: IssueFromCommunityInput!) { issueFromCommunity(input: $input) { ${TRANSFER_FIELDS} } }`, {
      input: {
        communityId: r.communityId,
        residentId: r.residentId,
        amount: r.amount,
        unit: r.unit,
        reference: r.reference,
        memo: r.memo ?? null,
        maxBalance: r.maxBalance ?? null,
        idempotencyKey: r.id,
      },
    });
  }

  payFromFund(r: PayFromFundRequest) {
    return this.call<TransferView>('payFromCommunityFund', `mutation($input: PayFromCommunityFundInput!) { payFromCommunityFund(input: $input) { ${TRANSFER_FIELDS} } }`, {
      input: { communityId: r.communityId, residentId: r.residentId, amount: r.amount, unit: r.unit, reference: r.reference, memo: r.memo ?? null, idempotencyKey: r.id },
    });
  }

  settleHoursHold(r: SettleHoldRequest) {
    return this.call<TransferView>('settleHoursHold', `mutation($input: SettleHoursHoldInput!) { settleHoursHold(input: $input) { ${TRANSFER_FIELDS} } }`, {
      input: { communityId: r.communityId, holdId: r.holdId, residentId: r.residentId, idempotencyKey: r.id },
    });
  }

  hoursHold(communityId: string, holdId: string) {
    return this.call<TransferView | null>('hoursHold', `query($c: ID!, $id: ID!) { hoursHold(communityId: $c, id: $id) { ${TRANSFER_FIELDS} } }`, { c: communityId, id: holdId }, true);
  }

  async fundAvailable(communityId: string): Promise<Answer<number>> {
    const answer = await this.call<{ available: number }>('communityFund', `query($c: ID!) { communityFund(communityId: $c, unit: HOUR) { available } }`, { c: communityId });
    return answer.kind === 'ok' ? { kind: 'ok', value: answer.value.available } : answer;
  }

  private call<T>(field: string, query: string, variables: Record<string, unknown>, nullable = false): Promise<Answer<T>> {
    return this.client.call<T>(field, query, variables, { nullable });
  }

}
