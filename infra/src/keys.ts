import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { generateSigningKeys } from '@linli/subgraph-kit';

export interface FederationKeys {
  /** The gateway's Ed25519 pair: it signs identities, subgraphs verify with the public half. */
  signingKeyPem: string;
  publicKeyPem: string;
  /** HS256 secret of the demo token issuer. */
  jwtSecret: string;
}

export function generateKeys(): FederationKeys {
  const { privateKeyPem, publicKeyPem } = generateSigningKeys();
  return { signingKeyPem: privateKeyPem, publicKeyPem, jwtSecret: randomBytes(32).toString('base64url') };
}

/** Keys made once per checkout and kept under `.data/keys` (mode 600), so tokens survive restarts. */
export function loadOrCreateKeys(dir: string): FederationKeys {
  const file = `${dir}/federation-keys.json`;
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as FederationKeys;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys = generateKeys();
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}
