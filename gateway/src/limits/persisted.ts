import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@linli/subgraph-kit/logger';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PersistedQueryRequiredError } from './errors.js';
import type { PersistedOperationsOptions } from './options.js';

type PersistedQueryOptions = Exclude<NonNullable<ApolloServerOptions<never>['persistedQueries']>, false>;
type QueryCache = NonNullable<PersistedQueryOptions['cache']>;

/**
 * APQ registrations in Redis, so a hash registered through one gateway is known to all.
 * A Redis failure reads as "not registered": the client then sends the full query (APQ's own
 * fallback) instead of the request failing.
 */
class RedisQueryCache implements QueryCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.prefix + key)) ?? undefined;
    } catch (error) {
      this.logger.debug({ err: error }, 'APQ: Redis read failed; treating the hash as unknown');
      return undefined;
    }
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    try {
      if (options?.ttl) await this.redis.set(this.prefix + key, value, 'EX', options.ttl);
      else await this.redis.set(this.prefix + key, value);
    } catch (error) {
      this.logger.debug({ err: error }, 'APQ: Redis write failed; the client will register again');
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.redis.del(this.prefix + key)) > 0;
    } catch {
      return false;
    }
  }
}

/** Trusted operations by hash: each manifest id and the sha256 of each body (what APQ clients send). */
type Manifest = ReadonlyMap<string, string>;

const ApolloManifest = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(z.object({ id: z.string().min(1), body: z.string().min(1) })),
});
const CodegenManifest = z.record(z.string().min(1), z.string().min(1));

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function parseManifest(json: unknown): Manifest {
  const apollo = ApolloManifest.safeParse(json);
  const entries = apollo.success
    ? apollo.data.operations.map((o) => [o.id, o.body] as const)
    : Object.entries(CodegenManifest.parse(json));
  const manifest = new Map<string, string>();
  for (const [id, body] of entries) {
    manifest.set(id, body);
    manifest.set(sha256Hex(body), body);
  }
  return manifest;
}

function readManifest(file: string): Manifest {
  return parseManifest(JSON.parse(readFileSync(file, 'utf8')) as unknown);
}

const APQ_PREFIX = 'apq:';

/** The manifest as Apollo's APQ cache: hash-only requests find trusted operations; registrations are dropped. */
class ManifestQueryCache implements QueryCache {
  constructor(private readonly manifest: Manifest) {}

  async get(key: string): Promise<string | undefined> {
    // Apollo prefixes its APQ keys with "apq:"; a manifest id may hold colons of its own.
    return this.manifest.get(key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key);
  }

  async set(): Promise<void> {}

  async delete(): Promise<boolean> {
    return false;
  }
}

/**
 * Refuses, in persisted-only mode, any client operation whose hash is not in the manifest —
 * sent as text, or registered by APQ with a new hash. The check runs once the operation is
 * resolved: Apollo turns an error thrown by an earlier hook into a 500. Operations the
 * gateway writes itself (live resolutions, run with no HTTP request) are not clients'.
 */
function persistedOnlyPlugin(manifest: Manifest): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      if (!request.http) return;
      return {
        async didResolveOperation({ queryHash }) {
          if (!manifest.has(queryHash)) throw new PersistedQueryRequiredError();
        },
      };
    },
  };
}

export interface PersistedOperations {
  /** Apollo Server's `persistedQueries` option. */
  persistedQueries: PersistedQueryOptions | false;
  plugins: ApolloServerPlugin[];
}

export function persistedOperations(
  options: PersistedOperationsOptions,
  deps: { redis: Redis; redisKeyPrefix: string; logger: Logger },
): PersistedOperations {
  if (options.mode === 'off') return { persistedQueries: false, plugins: [] };
  if (options.mode === 'only') {
    if (!options.manifestFile) throw new Error('persisted-only mode needs a manifest of trusted operations (PERSISTED_OPERATIONS_MANIFEST)');
    const manifest = readManifest(options.manifestFile);
    deps.logger.info({ operations: new Set(manifest.values()).size }, 'persisted-only mode: serving the manifest\'s operations only');
    return { persistedQueries: { cache: new ManifestQueryCache(manifest) }, plugins: [persistedOnlyPlugin(manifest)] };
  }
  return {
    persistedQueries: { cache: new RedisQueryCache(deps.redis, `${deps.redisKeyPrefix}:`, deps.logger), ttl: options.apqTtlSeconds },
    plugins: [],
  };
}
