/**
 * One service asking another through the gateway, as its own SERVICE identity (the
 * exchange asking an owning community for a hold; a community asking the exchange to issue
 * credit). Every answer is classified: done; refused for good (the other side's considered
 * "no", with its code and details); or unavailable — could not ask, or no considered answer
 * — when a write's outcome is unknown and the caller must retry with the same key.
 */

/** The other side's considered "no". */
export interface Refusal {
  code: string;
  message: string;
  extensions: Record<string, unknown>;
}

export type Answer<T> = { kind: 'ok'; value: T } | { kind: 'refused'; refusal: Refusal } | { kind: 'unavailable'; reason: string };

/**
 * Codes that are, by default, an answer about the request itself. FORBIDDEN or
 * UNAUTHENTICATED usually mean our own service token is wrong: a fault of ours to fix, so
 * they count as unavailable unless the caller knows a FORBIDDEN is final for its calls.
 */
export const DEFINITIVE_CODES: readonly string[] = ['BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND', 'INSUFFICIENT_FUNDS'];

export class GatewayServiceClient {
  private readonly definitive: ReadonlySet<string>;

  constructor(
    private readonly gatewayUrl: string,
    private readonly serviceToken: string,
    options: { timeoutMs?: number; definitive?: readonly string[] } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 8_000;
    this.definitive = new Set(options.definitive ?? DEFINITIVE_CODES);
  }

  private readonly timeoutMs: number;

  /**
   * Runs one operation and reads root field `field`. `nullable`: a null answer is a real
   * answer ("there is none"); otherwise null means the field's owner could not answer.
   */
  async call<T>(field: string, query: string, variables: Record<string, unknown>, options: { nullable?: boolean } = {}): Promise<Answer<T>> {
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
      if (this.definitive.has(code)) return { kind: 'refused', refusal: { code, message: error.message, extensions: error.extensions ?? {} } };
      return { kind: 'unavailable', reason: `${code}: ${error.message}` };
    }
    const value = body.data?.[field];
    if (value === undefined || (value === null && !options.nullable)) return { kind: 'unavailable', reason: 'empty answer' };
    return { kind: 'ok', value: value as T };
  }
}
