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

/** The community answered with an error about the request itself (its answer stands). */
export interface Refusal {
  code: string;
  message: string;
  extensions: Record<string, unknown>;
}

export type Answer<T> = { kind: 'ok'; value: T } | { kind: 'refused'; refusal: Refusal } | { kind: 'unavailable'; reason: string };

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

/** Codes that are the community's considered answer; anything else means "ask again later". */
// FORBIDDEN or UNAUTHENTICATED would mean our service token is wrong: a fault of ours to fix and retry.
const DEFINITIVE = new Set(['BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND']);

const HOLD_FIELDS = 'bookingRef status expiresAt';

export class GatewayOwningCommunity implements OwningCommunity {
  constructor(
    private readonly gatewayUrl: string,
    private readonly serviceToken: string,
    private readonly timeoutMs = 8_000,
  ) {}

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

  private async call<T>(field: string, query: string, variables: Record<string, unknown>, opts: { nullMeansUnavailable: boolean }): Promise<Answer<T>> {
    let body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
    try {
      const res = await fetch(this.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.serviceToken}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = (await res.json()) as typeof body;
    } catch (error) {
      return { kind: 'unavailable', reason: error instanceof Error ? error.message : String(error) };
    }
    const error = body.errors?.[0];
    if (error) {
      const code = String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
      if (DEFINITIVE.has(code)) return { kind: 'refused', refusal: { code, message: error.message, extensions: error.extensions ?? {} } };
      return { kind: 'unavailable', reason: `${code}: ${error.message}` };
    }
    const value = body.data?.[field];
    if (value === undefined || (value === null && opts.nullMeansUnavailable)) return { kind: 'unavailable', reason: 'empty answer' };
    return { kind: 'ok', value: value as T };
  }
}
