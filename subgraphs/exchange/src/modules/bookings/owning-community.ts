import { GatewayServiceClient, type Answer, type Refusal } from '@linli/subgraph-kit';

/**
 * How the exchange talks to a resource's owning community: through the gateway, as the
 * SERVICE identity the gateway signs for it, so that the community only ever trusts the
 * gateway. Every answer is classified: the community said yes, said no for good, or could
 * not be asked (then the outcome of a write is unknown and the saga must find out later).
 */

export interface HoldView {
  bookingRef: string;
  status: 'HELD' | 'CONFIRMED' | 'RELEASED' | 'EXPIRED';
  expiresAt: string | null;
}

export interface ResourceTerms {
  status: 'ACTIVE' | 'PAUSED' | 'RETIRED';
  capacity: number;
  policy: {
    requiresApproval: boolean;
    slotMinutes: number;
    minDurationMinutes: number;
    maxDurationMinutes: number;
    leadTimeMinutes: number;
    maxDaysAhead: number;
  };
}

export type { Answer, Refusal };

export interface PlaceHoldRequest {
  resourceId: string;
  startsAt: Date;
  endsAt: Date;
  quantity: number;
  bookingRef: string;
  expiresAt: Date;
}

export interface OwningCommunity {
  resourceTerms(communityId: string, resourceId: string): Promise<Answer<ResourceTerms | null>>;
  placeHold(communityId: string, request: PlaceHoldRequest): Promise<Answer<HoldView>>;
  confirmHold(communityId: string, bookingRef: string): Promise<Answer<HoldView>>;
  /** `null`: no hold was ever placed under this reference. */
  releaseHold(communityId: string, bookingRef: string): Promise<Answer<HoldView | null>>;
  hold(communityId: string, bookingRef: string): Promise<Answer<HoldView | null>>;
}

const HOLD_FIELDS = 'bookingRef status expiresAt';

export class GatewayOwningCommunity implements OwningCommunity {
  private readonly client: GatewayServiceClient;

  constructor(gatewayUrl: string, serviceToken: string, timeoutMs = 8_000) {
    this.client = new GatewayServiceClient(gatewayUrl, serviceToken, { timeoutMs });
  }

  resourceTerms(communityId: string, resourceId: string) {
    return this.call<ResourceTerms | null>(
      'resource',
      `query($c: ID!, $id: ID!) { resource(communityId: $c, id: $id) {
        status capacity policy { requiresApproval slotMinutes minDurationMinutes maxDurationMinutes leadTimeMinutes maxDaysAhead } } }`,
      { c: communityId, id: resourceId },
      { nullMeansUnavailable: false },
    );
  }

  placeHold(communityId: string, r: PlaceHoldRequest) {
    return this.call<HoldView>(
      'placeHold',
      `mutation($c: ID!, $input: PlaceHoldInput!) { placeHold(communityId: $c, input: $input) { ${HOLD_FIELDS} } }`,
      {
        c: communityId,
        input: {
          resourceId: r.resourceId,
          startsAt: r.startsAt.toISOString(),
          endsAt: r.endsAt.toISOString(),
          quantity: r.quantity,
          bookingRef: r.bookingRef,
          expiresAt: r.expiresAt.toISOString(),
        },
      },
      { nullMeansUnavailable: true },
    );
  }

  confirmHold(communityId: string, bookingRef: string) {
    return this.call<HoldView>(
      'confirmHold',
      `mutation($c: ID!, $ref: ID!) { confirmHold(communityId: $c, bookingRef: $ref) { ${HOLD_FIELDS} } }`,
      { c: communityId, ref: bookingRef },
      { nullMeansUnavailable: true },
    );
  }

  releaseHold(communityId: string, bookingRef: string) {
    return this.call<HoldView | null>(
      'releaseHold',
      `mutation($c: ID!, $ref: ID!) { releaseHold(communityId: $c, bookingRef: $ref) { ${HOLD_FIELDS} } }`,
      { c: communityId, ref: bookingRef },
      { nullMeansUnavailable: false },
    );
  }

  hold(communityId: string, bookingRef: string) {
    return this.call<HoldView | null>(
      'hold',
      `query($c: ID!, $ref: ID!) { hold(communityId: $c, bookingRef: $ref) { ${HOLD_FIELDS} } }`,
      { c: communityId, ref: bookingRef },
      { nullMeansUnavailable: false },
    );
  }

  private call<T>(field: string, query: string, variables: Record<string, unknown>, opts: { nullMeansUnavailable: boolean }): Promise<Answer<T>> {
    return this.client.call<T>(field, query, variables, { nullable: !opts.nullMeansUnavailable });
  }

}
