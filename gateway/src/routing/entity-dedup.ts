import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GraphQLFormattedError } from 'graphql';
import type { SubgraphResponse } from './community-router.js';

/**
 * Sends each distinct entity representation of a fetch once. The query planner asks for
 * an entity as many times as it appears in the result: a product under every one of its
 * reviews, an author under every one of theirs. Nested queries repeat the same few
 * representations many times over, and each repeat costs serialising, sending, resolving
 * and parsing. Answers and `['_entities', i, …]` error paths are expanded back to the
 * planner's positions; each repeat gets its own copy, since the planner merges into them.
 */
export class EntityDeduplication implements GraphQLDataSource {
  constructor(private readonly source: GraphQLDataSource) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<SubgraphResponse> {
    const variables = options.request.variables;
    const representations: unknown = variables?.representations;
    if (!Array.isArray(representations) || representations.length < 2) return this.source.process(options);
    const firstOf = new Map<string, number>();
    const unique: unknown[] = [];
    const slotOf = representations.map((representation) => {
      const key = JSON.stringify(representation);
      let slot = firstOf.get(key);
      if (slot === undefined) {
        slot = unique.push(representation) - 1;
        firstOf.set(key, slot);
      }
      return slot;
    });
    if (unique.length === representations.length) return this.source.process(options);

    const response = await this.source.process({ ...options, request: { ...options.request, variables: { ...variables, representations: unique } } });
    const received: unknown = response.data?._entities;
    if (!Array.isArray(received) || received.length !== unique.length) return response;
    const used = new Set<number>();
    const entities = slotOf.map((slot) => {
      const entity: unknown = received[slot];
      if (!used.has(slot)) {
        used.add(slot);
        return entity;
      }
      return entity === null || typeof entity !== 'object' ? entity : structuredClone(entity);
    });
    return {
      ...response,
      data: { ...response.data, _entities: entities },
      ...(response.errors ? { errors: expandErrors(response.errors, slotOf) } : {}),
    };
  }
}

function expandErrors(errors: readonly GraphQLFormattedError[], slotOf: readonly number[]): GraphQLFormattedError[] {
  return errors.flatMap((error) => {
    const [head, slot, ...rest] = error.path ?? [];
    if (head !== '_entities' || typeof slot !== 'number') return [error];
    const positions = slotOf.flatMap((s, position) => (s === slot ? [position] : []));
    return positions.length ? positions.map((position) => ({ ...error, path: ['_entities', position, ...rest] })) : [error];
  });
}
