import { LinliError, BadInputError } from '@linli/subgraph-kit/errors';
import { ANONYMOUS, type Viewer } from '@linli/subgraph-kit/identity';
import type { LinliEvent } from '@linli/subgraph-kit/events';
import { GraphQLError, type GraphQLSchema } from './graphql.js';
import type { CommunityDirectory } from '../routing/directory.js';
import { asGraphQLError, formatLiveError, LimitExceededError, SubscriptionInvalidatedError, type FormattedResult } from './errors.js';
import type { LiveField } from './fields.js';
import type { LiveLimits } from './limits.js';
import { checkResolutionLimits, parseOperation, RESOLUTION_OPERATION, resolutionPlan, stableJson, subscriptionTarget, type LiveRequest, type OperationChecks, type ResolutionPlan } from './operation.js';
import { LiveSubscription, type LiveConnection } from './subscription.js';

/** Runs a query through the gateway's own query plan, as `viewer`. */
export type Execute = (request: LiveRequest, viewer: Viewer) => Promise<FormattedResult>;

export interface LiveRegistryOptions {
  fields: ReadonlyMap<string, LiveField>;
  limits: Pick<LiveLimits, 'maxSubscriptionsPerConnection' | 'maxSubscriptionsPerUser' | 'maxQueuedEvents'>;
  execute: Execute;
  /** Where communities are; a subscription about a community that left the federation ends. */
  directory?: Pick<CommunityDirectory, 'lookup' | 'refresh'>;
  /** The gateway's request limits; without them, only GraphQL's own validation. */
  checks?: OperationChecks;
}

type Prepared = { ok: true; field: LiveField; args: Record<string, unknown>; plan: ResolutionPlan } | { ok: false; errors: readonly GraphQLError[] };

const PREPARED_CACHE_SIZE = 1000;

export type Accepted = { ok: true; subscription: LiveSubscription } | { ok: false; errors: readonly GraphQLError[] };

/**
 * The gateway's own record of open subscriptions, independent of the ApolloGateway schema
 * instance: a new supergraph or a changed community list re-checks every subscription
 * instead of dropping it, and ends (with SUBSCRIPTION_INVALIDATED) only those the new
 * federation cannot serve. Indexes subscriptions by field and routing key, so that an
 * event finds its subscribers without a scan, and counts them per connection and per user.
 */
export class LiveRegistry {
  private schema: GraphQLSchema | null = null;
  private nextId = 1;
  private readonly buckets = new Map<string, Set<LiveSubscription>>();
  private readonly byConnection = new Map<number, Set<LiveSubscription>>();
  private readonly perUser = new Map<string, number>();
  private readonly all = new Set<LiveSubscription>();
  private readonly byEventType = new Map<string, LiveField[]>();
  /** Prepared requests by their text (many clients send the same document): parsed, validated, planned once per schema. */
  private readonly prepared = new Map<string, Prepared>();

  constructor(private readonly options: LiveRegistryOptions) {
    for (const field of options.fields.values()) {
      this.byEventType.set(field.eventType, [...(this.byEventType.get(field.eventType) ?? []), field]);
    }
  }

  get size(): number {
    return this.all.size;
  }

  get currentSchema(): GraphQLSchema | null {
    return this.schema;
  }

  /**
   * Checks a subscription request — valid against the current schema, a field the gateway
   * serves, a viewer who may subscribe (and, for fields with a probe, may see the entity),
   * within the limits — and opens it.
   */
  async subscribe(request: LiveRequest, viewer: Viewer, connection: LiveConnection): Promise<Accepted> {
    const schema = this.schema;
    if (!schema) return refused(new GraphQLError('The gateway is not ready yet'));
    const prepared = this.prepare(schema, request);
    if (!prepared.ok) return prepared;
    const { field, args, plan } = prepared;
    try {
      field.authorize(args, viewer);
      await this.requireCommunity(field, args);
    } catch (error) {
      return refused(asGraphQLError(formatLiveError(error)));
    }
    if (field.probe) {
      const hidden = await this.probe(field, plan, field.probe(args), viewer);
      if (hidden) return { ok: false, errors: hidden };
    }
    const userKey = userKeyOf(viewer, connection);
    const mine = this.byConnection.get(connection.id)?.size ?? 0;
    const { maxSubscriptionsPerConnection, maxSubscriptionsPerUser, maxQueuedEvents } = this.options.limits;
    if (mine >= maxSubscriptionsPerConnection) return refused(new LimitExceededError('subscriptionsPerConnection', maxSubscriptionsPerConnection));
    if ((this.perUser.get(userKey) ?? 0) >= maxSubscriptionsPerUser) return refused(new LimitExceededError('subscriptionsPerUser', maxSubscriptionsPerUser));
    if (!connection.open) return refused(new GraphQLError('The connection closed'));

    const subscription = new LiveSubscription({
      id: this.nextId++,
      connection,
      viewer,
      field,
      args,
      request,
      plan,
      routeKey: `${field.name}|${field.route(args, viewer)}`,
      scopeKey: scopeKeyOf(field, viewer),
      maxQueued: maxQueuedEvents,
      onEnd: (s) => this.forget(s, userKey),
    });
    this.all.add(subscription);
    add(this.buckets, subscription.routeKey, subscription);
    add(this.byConnection, connection.id, subscription);
    this.perUser.set(userKey, (this.perUser.get(userKey) ?? 0) + 1);
    return { ok: true, subscription };
  }

  /** The open subscriptions an event reaches. */
  match(event: LinliEvent): LiveSubscription[] {
    const matched: LiveSubscription[] = [];
    for (const field of this.byEventType.get(event.type) ?? []) {
      const seen = new Set<LiveSubscription>();
      for (const key of field.routes(event)) {
        for (const s of this.buckets.get(`${field.name}|${key}`) ?? []) {
          if (!seen.has(s)) {
            seen.add(s);
            matched.push(s);
          }
        }
      }
    }
    return matched;
  }

  /**
   * A new supergraph: every open subscription is checked against it and keeps running with
   * a fresh resolution query; one it can no longer serve ends with SCHEMA_CHANGED and why.
   */
  setSchema(schema: GraphQLSchema): void {
    const previous = this.schema;
    this.schema = schema;
    this.prepared.clear();
    if (!previous || previous === schema) return;
    for (const subscription of [...this.all]) {
      const prepared = this.prepare(schema, subscription.request);
      if (!prepared.ok) {
        subscription.end(new SubscriptionInvalidatedError('SCHEMA_CHANGED', prepared.errors.map((e) => e.message).join('; ')));
        continue;
      }
      subscription.plan = prepared.plan;
    }
  }

  /** The community list changed: subscriptions about a community that left end with COMMUNITY_LEFT. */
  communitiesChanged(): void {
    const directory = this.options.directory;
    if (!directory) return;
    for (const subscription of [...this.all]) {
      const communityId = subscription.field.community?.(subscription.args);
      if (!communityId) continue;
      const found = directory.lookup(communityId);
      if (found.kind === 'unavailable' && found.reason === 'unknown') {
        subscription.end(new SubscriptionInvalidatedError('COMMUNITY_LEFT', communityId));
      }
    }
  }

  /** Ends every subscription of a connection that went away. */
  connectionClosed(connection: LiveConnection): void {
    for (const subscription of [...(this.byConnection.get(connection.id) ?? [])]) subscription.end();
  }

  /** Ends every subscription with the given error (shutdown). */
  endAll(error: Error | null = null): void {
    for (const subscription of [...this.all]) subscription.end(error);
  }

  private prepare(schema: GraphQLSchema, request: LiveRequest): Prepared {
    if (schema !== this.schema) return this.prepareUncached(schema, request);
    const key = `${request.operationName ?? ''}\n${stableJson(request.variables ?? {})}\n${request.query}`;
    const cached = this.prepared.get(key);
    if (cached) return cached;
    const prepared = this.prepareUncached(schema, request);
    if (this.prepared.size >= PREPARED_CACHE_SIZE) this.prepared.delete(this.prepared.keys().next().value as string);
    this.prepared.set(key, prepared);
    return prepared;
  }

  private prepareUncached(schema: GraphQLSchema, request: LiveRequest): Prepared {
    const parsed = parseOperation(schema, request, this.options.checks);
    if (!('document' in parsed)) return refused(...parsed);
    const target = subscriptionTarget(schema, parsed);
    if (!('fieldNode' in target)) return { ok: false, errors: target };
    const field = this.options.fields.get(target.fieldName);
    if (!field) {
      return refused(new BadInputError('网关不提供此订阅', `The gateway does not serve Subscription.${target.fieldName}`, { field: target.fieldName }));
    }
    const plan = resolutionPlan(schema, parsed, target, field.entity);
    if (!('query' in plan)) return { ok: false, errors: plan };
    if (this.options.checks) {
      const overLimit = checkResolutionLimits(schema, plan.query, this.options.checks);
      if (overLimit.length) return refused(...overLimit);
    }
    return { ok: true, field, args: target.args, plan };
  }

  private async requireCommunity(field: LiveField, args: Record<string, unknown>): Promise<void> {
    const directory = this.options.directory;
    const communityId = field.community?.(args);
    if (!directory || !communityId) return;
    let found = directory.lookup(communityId);
    if (found.kind === 'unavailable' && found.reason === 'unknown') {
      await directory.refresh();
      found = directory.lookup(communityId);
    }
    if (found.kind === 'unavailable' && found.reason === 'unknown') {
      throw new BadInputError('联邦中没有该社区', `No community ${communityId} in the federation`, { communityId });
    }
  }

  /** Reads the entity once as the subscriber: errors that hide it from them refuse the subscription. */
  private async probe(field: LiveField, plan: ResolutionPlan, values: Record<string, unknown>, viewer: Viewer): Promise<readonly GraphQLError[] | null> {
    const result = await this.options.execute(
      { query: plan.query, operationName: RESOLUTION_OPERATION, variables: resolutionVariables(plan, values) },
      field.sharing === 'public' ? ANONYMOUS : viewer,
    );
    if (result.data?.[plan.responseKey] != null) return null;
    const errors = (result.errors ?? []).filter((e) => e.path?.[0] === plan.responseKey || !e.path);
    if (!errors.length) return [asGraphQLError({ message: `${field.name}: nothing to subscribe to`, extensions: { code: 'NOT_FOUND' } })];
    return errors.map(asGraphQLError);
  }

  private forget(subscription: LiveSubscription, userKey: string): void {
    if (!this.all.delete(subscription)) return;
    remove(this.buckets, subscription.routeKey, subscription);
    remove(this.byConnection, subscription.connection.id, subscription);
    const left = (this.perUser.get(userKey) ?? 1) - 1;
    if (left > 0) this.perUser.set(userKey, left);
    else this.perUser.delete(userKey);
  }
}

/** The variables of a resolution: the subscriber's, plus the entity's from an event (or a probe). */
export function resolutionVariables(plan: ResolutionPlan, entityValues: Record<string, unknown>): Record<string, unknown> {
  const variables = { ...plan.variables };
  for (const [arg, variable] of Object.entries(plan.entityVariables)) variables[variable] = entityValues[arg];
  return variables;
}

/** Subscribers with equal scope keys are answered by one resolution (for equal plans). */
export function scopeKeyOf(field: LiveField, viewer: Viewer): string {
  if (field.sharing === 'public' || viewer.userId === null) return field.sharing === 'public' ? 'public' : 'anonymous';
  return `user:${viewer.userId}|home:${viewer.homeCommunityId ?? ''}|roles:${[...viewer.roles].sort().join(',')}`;
}

/** Signed-in users are counted by user id across connections; anonymous visitors by address. */
export function userKeyOf(viewer: Viewer, connection: Pick<LiveConnection, 'ip'>): string {
  return viewer.userId !== null ? `user:${viewer.userId}` : `anonymous@${connection.ip}`;
}

/** A subscription refused; typed errors (the request limits' among them) formatted as graphql-ws sends them. */
function refused(...errors: ReadonlyArray<GraphQLError | LinliError>): { ok: false; errors: readonly GraphQLError[] } {
  return { ok: false, errors: errors.map((error) => (error instanceof LinliError ? asGraphQLError(formatLiveError(error)) : error)) };
}

function add<K>(map: Map<K, Set<LiveSubscription>>, key: K, s: LiveSubscription): void {
  const set = map.get(key) ?? new Set<LiveSubscription>();
  set.add(s);
  map.set(key, set);
}

function remove<K>(map: Map<K, Set<LiveSubscription>>, key: K, s: LiveSubscription): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(s);
  if (!set.size) map.delete(key);
}
