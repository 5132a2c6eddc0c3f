import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mintDevToken } from '@linli/gateway';
import { Role, generateSigningKeys } from '@linli/subgraph-kit/identity';

/**
 * The secrets of a deployment (infra/deploy), one directory per Kubernetes Secret and one file
 * per key, so that `kubectl create secret generic <dir> --from-file=<dir>` and docker compose's
 * `secrets:` read the same files. Each service's Secret holds only what that service needs: a
 * community never holds another community's database password or the gateway's signing key.
 */
export const SECRET_FILES = {
  gateway: { name: 'linli-gateway', keys: ['jwt-secret', 'signing-key.pem'] },
  exchange: { name: 'linli-exchange', keys: ['gateway-public-key.pem', 'service-token', 'database-url', 'postgres-password'] },
  community: (id: string) => ({
    name: `linli-community-${id}`,
    keys: ['gateway-public-key.pem', 'service-token', 'database-url', 'postgres-password', 'pseudonym-secret'],
  }),
} as const;

/** Host names the database URLs point at: the same Service names in compose and Kubernetes. */
export const databaseHost = (service: string) => `${service}-postgres`;
export const communityService = (id: string) => `community-${id}`;
export const DATABASE_USER = 'linli';
export const DATABASE_NAME = 'linli';

export interface DeploySecretsOptions {
  /** infra/deploy (or a test's copy): secrets go to `<root>/secrets/`, compose's values to `<root>/.env`. */
  root: string;
  communities: readonly string[];
  /** How long the services' own tokens (exchange, communities → gateway) stay valid. Default 365 days. */
  serviceTokenTtlSeconds?: number;
}

/**
 * Writes what is missing and keeps what exists: re-running after adding a community creates
 * only that community's secrets. Existing keys are never replaced, since a new signing key
 * logs every subgraph out and a new pseudonym secret breaks the link between a person's old
 * and new access events. `.env` (compose's interpolation values) is rewritten from the files,
 * and `operator/federation-admin-token` (12 hours) is minted afresh on every run.
 */
export function writeDeploySecrets(options: DeploySecretsOptions): { dir: string; written: string[]; adminToken: string } {
  const dir = join(options.root, 'secrets');
  const written: string[] = [];
  const ensure = (secret: string, key: string, make: () => string): string => {
    const file = join(dir, secret, key);
    if (existsSync(file)) return readFileSync(file, 'utf8');
    mkdirSync(join(dir, secret), { recursive: true, mode: 0o700 });
    const value = make();
    writeFileSync(file, value, { mode: 0o600 });
    written.push(`${secret}/${key}`);
    return value;
  };
  const random = () => randomBytes(32).toString('base64url');
  const ttlSeconds = options.serviceTokenTtlSeconds ?? 365 * 86_400;

  const gateway = SECRET_FILES.gateway.name;
  const jwtSecret = ensure(gateway, 'jwt-secret', random);
  const signingKey = ensure(gateway, 'signing-key.pem', () => generateSigningKeys().privateKeyPem);
  const publicKey = createPublicKey(createPrivateKey(signingKey)).export({ type: 'spki', format: 'pem' }).toString();
  const serviceToken = (userId: string, homeCommunityId: string | null) =>
    mintDevToken(jwtSecret, { userId, homeCommunityId, roles: [Role.SERVICE] }, { ttlSeconds });
  const databaseUrl = (service: string, password: string) =>
    `postgres://${DATABASE_USER}:${password}@${databaseHost(service)}:5432/${DATABASE_NAME}`;
  const env: string[] = [`JWT_SECRET=${jwtSecret}`];

  const exchange = SECRET_FILES.exchange.name;
  ensure(exchange, 'gateway-public-key.pem', () => publicKey);
  ensure(exchange, 'service-token', () => serviceToken('exchange', null));
  const exchangePassword = ensure(exchange, 'postgres-password', random);
  ensure(exchange, 'database-url', () => databaseUrl('exchange', exchangePassword));
  env.push(`EXCHANGE_POSTGRES_PASSWORD=${exchangePassword}`);

  for (const id of options.communities) {
    const secret = SECRET_FILES.community(id).name;
    ensure(secret, 'gateway-public-key.pem', () => publicKey);
    ensure(secret, 'service-token', () => serviceToken(`service-${id}`, id));
    const password = ensure(secret, 'postgres-password', random);
    ensure(secret, 'database-url', () => databaseUrl(communityService(id), password));
    const pseudonymSecret = ensure(secret, 'pseudonym-secret', random);
    const prefix = composeVariablePrefix(id);
    env.push(`${prefix}_POSTGRES_PASSWORD=${password}`, `${prefix}_PSEUDONYM_SECRET=${pseudonymSecret}`);
  }
  writeFileSync(join(options.root, '.env'), `# Written by npm run deploy:secrets from secrets/; do not commit.\n${env.join('\n')}\n`, { mode: 0o600 });
  // The operator's own credential, for registering communities: short-lived, so minted afresh.
  mkdirSync(join(dir, 'operator'), { recursive: true, mode: 0o700 });
  const adminToken = join(dir, 'operator', 'federation-admin-token');
  writeFileSync(adminToken, mintDevToken(jwtSecret, { userId: 'operator', homeCommunityId: null, roles: [Role.FEDERATION_ADMIN] }, { ttlSeconds: 12 * 3600 }), { mode: 0o600 });
  return { dir, written, adminToken };
}

/** `qibao-a` → `QIBAO_A`: the prefix of a community's values in compose's `.env`. */
export const composeVariablePrefix = (id: string) => id.toUpperCase().replace(/-/g, '_');
