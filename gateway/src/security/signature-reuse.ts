import { IdentitySigner, type Viewer } from '@linli/subgraph-kit/identity';

/** How long one signature of a viewer is reused. Far inside MAX_SIGNATURE_AGE_MS (60 s). */
export const SIGNATURE_REUSE_MS = 1_000;

/**
 * Signs each viewer once per request instead of once per subgraph fetch: an Ed25519
 * signature costs about as much as a small fetch, and a nested query makes a dozen fetches.
 * Keyed by the viewer object, which the context builds per request (the anonymous viewer is
 * one shared object, so anonymous requests share a signature for up to a second). The
 * signed payload is the identity and its issue time only, so reusing it within its validity
 * reveals and permits nothing a fresh one would not.
 */
export class ReusingSigner extends IdentitySigner {
  private readonly signed = new WeakMap<Viewer, { at: number; headers: Record<string, string> }>();

  override headers(viewer: Viewer, now = Date.now()): Record<string, string> {
    const recent = this.signed.get(viewer);
    if (recent && now - recent.at >= 0 && now - recent.at < SIGNATURE_REUSE_MS) return recent.headers;
    const headers = super.headers(viewer, now);
    this.signed.set(viewer, { at: now, headers });
    return headers;
  }
}
