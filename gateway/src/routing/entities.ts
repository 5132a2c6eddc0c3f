import type { GraphQLFormattedError } from 'graphql';

export interface RepresentationGroup {
  communityId: string;
  /** Positions of this community's representations in the original `_entities` list. */
  indexes: number[];
}

/**
 * Which community owns a representation: `communityId` in its key, or the community itself
 * when the entity is a Community. This is the routing rule, and all the router knows of
 * the contract's types.
 */
export function communityOfRepresentation(representation: unknown): string | null {
  if (typeof representation !== 'object' || representation === null) return null;
  const { communityId, __typename, id } = representation as Record<string, unknown>;
  if (typeof communityId === 'string' || typeof communityId === 'number') return String(communityId);
  if (__typename === 'Community' && (typeof id === 'string' || typeof id === 'number')) return String(id);
  return null;
}

export function splitRepresentations(representations: readonly unknown[]): { groups: RepresentationGroup[]; unroutable: number[] } {
  const groups = new Map<string, RepresentationGroup>();
  const unroutable: number[] = [];
  representations.forEach((representation, index) => {
    const communityId = communityOfRepresentation(representation);
    if (communityId === null) {
      unroutable.push(index);
      return;
    }
    const group = groups.get(communityId) ?? { communityId, indexes: [] };
    group.indexes.push(index);
    groups.set(communityId, group);
  });
  return { groups: [...groups.values()], unroutable };
}

/**
 * The gateway rebuilds each error's client path from `['_entities', index, …]`, so an index
 * into a community's part must become the index into the whole list.
 */
export function remapEntityErrors(errors: readonly GraphQLFormattedError[], indexes: readonly number[]): GraphQLFormattedError[] {
  return errors.map((error) => {
    const [head, sub, ...rest] = error.path ?? [];
    if (head !== '_entities' || typeof sub !== 'number') return error;
    const original = indexes[sub];
    return original === undefined ? error : { ...error, path: ['_entities', original, ...rest] };
  });
}
