import { generateSigningKeys, IdentityVerifier, Role, type Viewer } from '@linli/subgraph-kit/identity';
import { describe, expect, it } from 'vitest';
import { ReusingSigner, SIGNATURE_REUSE_MS } from './signature-reuse.js';

const keys = generateSigningKeys();
const resident = (): Viewer => ({ userId: 'u1', homeCommunityId: 'qibao-a', roles: [Role.RESIDENT] });

describe('a viewer signed once per request', () => {
  it('gives every fetch of one request the same signature within the reuse window, and a fresh one after it', () => {
    const signer = new ReusingSigner(keys.privateKeyPem);
    const viewer = resident();
    const t = 1_800_000_000_000;
    const first = signer.headers(viewer, t);
    expect(signer.headers(viewer, t + SIGNATURE_REUSE_MS - 1)).toBe(first);
    const later = signer.headers(viewer, t + SIGNATURE_REUSE_MS);
    expect(later).not.toEqual(first);
    // A clock that stepped back does not reuse a signature from the future.
    expect(signer.headers(viewer, t + SIGNATURE_REUSE_MS - 10)).not.toBe(later);
  });

  it('never gives one request\'s signature to another request, even for the same person', () => {
    const signer = new ReusingSigner(keys.privateKeyPem);
    const t = 1_800_000_000_000;
    expect(signer.headers(resident(), t)).not.toBe(signer.headers(resident(), t));
  });

  it('signs what the subgraphs verify, reused or not', () => {
    const signer = new ReusingSigner(keys.privateKeyPem);
    const verifier = new IdentityVerifier(keys.publicKeyPem);
    const viewer = resident();
    const now = Date.now();
    signer.headers(viewer, now);
    expect(verifier.verify(signer.headers(viewer, now + 500), now + 500)).toEqual(viewer);
  });
});
