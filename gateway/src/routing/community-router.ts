import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { IdentitySigner } from '@linli/subgraph-kit/identity';
import type { Logger } from '@linli/subgraph-kit/logger';
import type { GraphQLFormattedError } from 'graphql';
import { SignedDataSource, type Fetcher } from '../security/signed-data-source.js';
import { CircuitRejection, CommunityBreakers, type CircuitStates } from './circuit-breakers.js';
import type { CommunityFetchObserver } from '../observability/fetches.js';
import type { CommunityDirectory, Instance, Unavailable } from './directory.js';
import { remapEntityErrors, splitRepresentations } from './entities.js';
import { classifyFailure, unavailableError, unroutableError, type Failure, type Path } from './failures.js';
import { FetchPlans, subOperation, type CommunitySource, type EntitiesFetch, type RootFetch } from './operation.js';
import { freshRequest, processWithin } from './read-retry.js';
import { DEFAULT_RESILIENCE, type ResilienceOptions } from './resilience.js';

type ProcessOptions = GraphQLDataSourceProcessOptions;
export type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;
type Variables = Record<string, unknown>;

type Outcome = { ok: true; response: SubgraphResponse } | { ok: false; failure: Failure };

export interface CommunityRouterOptions {
  directory: CommunityDirectory;
  /** The pooled client every instance is fetched with. */
  fetcher: Fetcher;
  signer: IdentitySigner;
  logger: Logger;
  /** Sees every sub-fetch to a community (tracing span, metrics). Default: none. */
  observer?: CommunityFetchObserver;
  /** Deadline of a fetch to a community without its own timeout. Default 5000. */
  timeoutMs?: number;
  /** Per-community timeouts, read retries, circuit breakers. Default `DEFAULT_RESILIENCE`. */
  resilience?: ResilienceOptions;
}

/**
 * The community subgraph as the query planner sees it: one subgraph. Behind it, every
 * community runs its own instance; each fetch is split by community (entity
 * representations by the community in their key, root fields by their `communityId`
 * argument), the parts go to their instances in parallel, and the answers are merged back
 * into the one answer the planner expects. A community that cannot answer costs only its
 * own fields: they become null with a COMMUNITY_UNAVAILABLE error each.
 */
export class CommunityRouter implements GraphQLDataSource {
  private readonly sources = new Map<string, SignedDataSource>();
  private readonly plans = new FetchPlans();
  private readonly resilience: ResilienceOptions;
  private readonly circuits: CommunityBreakers;

  constructor(private readonly options: CommunityRouterOptions) {
    this.resilience = options.resilience ?? DEFAULT_RESILIENCE;
    // A refusal (4xx with errors) is an answer: the instance is up.
    this.circuits = new CommunityBreakers(this.resilience.circuit, (error) => classifyFailure(error).kind === 'refused');
    this.circuits.onStateChange(({ communityId, state }) => {
      if (state === 'open') options.logger.warn({ communityId }, 'community circuit open: failing fast');
      else options.logger.info({ communityId, state }, 'community circuit');
    });
  }

  /** Each community's circuit: state and recent counts, and a hook for its changes. */
  get breakers(): CircuitStates {
    return this.circuits;
  }

  /** Stops the circuits' timers. */
  close(): void {
    this.circuits.close();
  }

  async process(options: ProcessOptions): Promise<SubgraphResponse> {
    const { query } = options.request;
    if (!query) throw new Error('community router: fetch without a query');
    const plan = this.plans.get(query);
    return plan.kind === 'entities' ? this.entities(options, plan) : this.rootFields(options, plan);
  }

  private async entities(options: ProcessOptions, plan: EntitiesFetch): Promise<SubgraphResponse> {
    const variables: Variables = options.request.variables ?? {};
    const representations = variables[plan.representationsVariable];
    if (!Array.isArray(representations)) throw new Error('community router: _entities without representations');
    const { groups, unroutable } = splitRepresentations(representations);
    const answers = await Promise.all(
      groups.map(async (group) => ({
        ...group,
        outcome: await this.send(group.communityId, options, {
          query: options.request.query ?? '',
          variables: { ...variables, [plan.representationsVariable]: group.indexes.map((i) => representations[i]) },
        }),
      })),
    );

    // The planner matches answers to representations by position: same length, same order.
    const entities: unknown[] = representations.map(() => null);
    const errors: GraphQLFormattedError[] = unroutable.map((i) => unroutableError(['_entities', i]));
    for (const { communityId, indexes, outcome } of answers) {
      const paths = indexes.map((i) => ['_entities', i]);
      if (!outcome.ok) {
        errors.push(...failureErrors(outcome.failure, communityId, paths));
        continue;
      }
      const received: unknown = outcome.response.data?._entities;
      if (Array.isArray(received) && received.length === indexes.length) {
        indexes.forEach((original, sub) => {
          entities[original] = received[sub];
        });
      } else if (outcome.response.data) {
        errors.push(...failureErrors({ kind: 'unavailable', reason: 'invalid answer' }, communityId, paths));
      }
      errors.push(...remapEntityErrors(outcome.response.errors ?? [], indexes));
    }
    return { data: { _entities: entities }, ...(errors.length ? { errors } : {}) };
  }

  private async rootFields(options: ProcessOptions, plan: RootFetch): Promise<SubgraphResponse> {
    const variables: Variables = options.request.variables ?? {};
    const data: Record<string, unknown> = {};
    const errors: GraphQLFormattedError[] = [];
    const routed: Routed[] = [];
    plan.fields.forEach((field, index) => {
      if (field.typename) {
        data[field.responseKey] = plan.rootTypename;
        return;
      }
      const communityId = communityOf(field.community, variables);
      if (communityId === null) {
        data[field.responseKey] = null;
        errors.push(unroutableError([field.responseKey]));
        return;
      }
      routed.push({ index, communityId, responseKey: field.responseKey });
    });

    // Mutation fields run one after another (GraphQL's rule), so a mutation is cut only where
    // the community changes; query fields are grouped by community and run in parallel.
    const mutation = plan.operation.operation === 'mutation';
    const groups = mutation ? consecutiveRuns(routed) : byCommunity(routed);
    const run = async (group: Group) => {
      const indexes = group.fields.map((f) => f.index);
      const sub = indexes.length === plan.fields.length ? null : subOperation(plan, indexes);
      const outcome = await this.send(group.communityId, options, {
        query: sub?.query ?? options.request.query ?? '',
        variables: sub ? pick(variables, sub.variableNames) : variables,
      });
      return { ...group, outcome };
    };
    const answers: Array<Group & { outcome: Outcome }> = [];
    if (mutation) {
      for (const group of groups) answers.push(await run(group));
    } else {
      answers.push(...(await Promise.all(groups.map(run))));
    }

    for (const { communityId, fields, outcome } of answers) {
      const keys = [...new Set(fields.map((f) => f.responseKey))];
      if (!outcome.ok) {
        for (const key of keys) data[key] = null;
        errors.push(...failureErrors(outcome.failure, communityId, keys.map((key) => [key])));
        continue;
      }
      const received = outcome.response.data;
      for (const key of keys) data[key] = received && Object.hasOwn(received, key) ? received[key] : null;
      errors.push(...(outcome.response.errors ?? []));
    }
    return { data, ...(errors.length ? { errors } : {}) };
  }

  private send(communityId: string, options: ProcessOptions, part: { query: string; variables: Variables }): Promise<Outcome> {
    const fetch = () => this.sendUnobserved(communityId, options, part);
    return this.options.observer ? this.options.observer.communityFetch(communityId, fetch) : fetch();
  }

  /**
   * One sub-fetch to one community, through its circuit, under its deadline (retries of a
   * read included), as a fresh request per attempt: the data source mutates `request.http`.
   */
  private async sendUnobserved(communityId: string, options: ProcessOptions, part: { query: string; variables: Variables }): Promise<Outcome> {
    const target = await this.locate(communityId);
    if (target.kind === 'unavailable') {
      return { ok: false, failure: { kind: 'unavailable', reason: target.reason === 'unknown' ? 'not registered' : target.reason.toLowerCase() } };
    }
    const policy = {
      timeoutMs: this.resilience.communityTimeoutsMs[communityId] ?? this.options.timeoutMs ?? 5000,
      ...this.resilience.readRetry,
    };
    try {
      const response = await this.circuits.run(communityId, target.url, () =>
        processWithin(this.source(target.url), options, () => freshRequest(options.request, part), policy),
      );
      return { ok: true, response };
    } catch (error) {
      // Failing fast is logged once, when the circuit opens.
      if (error instanceof CircuitRejection) return { ok: false, failure: { kind: 'unavailable', reason: error.reason } };
      const failure = classifyFailure(error);
      if (failure.kind === 'unavailable') this.options.logger.warn({ communityId, reason: failure.reason }, 'community unavailable');
      return { ok: false, failure };
    }
  }

  /** A community the directory does not know may have just registered: look again once. */
  private async locate(communityId: string): Promise<Instance | Unavailable> {
    const found = this.options.directory.lookup(communityId);
    if (found.kind === 'instance' || found.reason !== 'unknown') return found;
    await this.options.directory.refresh();
    return this.options.directory.lookup(communityId);
  }

  private source(url: string): SignedDataSource {
    let source = this.sources.get(url);
    if (!source) {
      source = new SignedDataSource(url, this.options.fetcher, this.options.signer);
      this.sources.set(url, source);
    }
    return source;
  }
}

interface Routed {
  /** Position among the fetch's root fields. */
  index: number;
  communityId: string;
  responseKey: string;
}

interface Group {
  communityId: string;
  fields: Routed[];
}

function communityOf(source: CommunitySource, variables: Variables): string | null {
  if (!source) return null;
  if ('literal' in source) return source.literal;
  const value = variables[source.variable];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function byCommunity(fields: Routed[]): Group[] {
  const groups = new Map<string, Group>();
  for (const field of fields) {
    const group = groups.get(field.communityId) ?? { communityId: field.communityId, fields: [] };
    group.fields.push(field);
    groups.set(field.communityId, group);
  }
  return [...groups.values()];
}

function consecutiveRuns(fields: Routed[]): Group[] {
  const groups: Group[] = [];
  for (const field of fields) {
    const last = groups.at(-1);
    if (last?.communityId === field.communityId) last.fields.push(field);
    else groups.push({ communityId: field.communityId, fields: [field] });
  }
  return groups;
}

function pick(variables: Variables, names: ReadonlySet<string>): Variables {
  return Object.fromEntries(Object.entries(variables).filter(([name]) => names.has(name)));
}

function failureErrors(failure: Failure, communityId: string, paths: Path[]): GraphQLFormattedError[] {
  if (failure.kind === 'refused') return failure.errors;
  return paths.map((path) => unavailableError(communityId, failure.reason, path));
}
