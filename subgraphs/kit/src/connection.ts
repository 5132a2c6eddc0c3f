import { Directive, Field, ObjectType } from 'type-graphql';
import { BadInputError } from './errors.js';

@Directive('@shareable')
@ObjectType({ description: 'Relay 分页信息 (Relay page info)' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Validates `first`, so every connection in the graph has the same bounds. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadInputError(`first 必须在 1 到 ${MAX_PAGE_SIZE} 之间`, `first must be between 1 and ${MAX_PAGE_SIZE}`, {
      argument: 'first',
    });
  }
  return first;
}

/**
 * Keyset cursors: an opaque encoding of the sort key of the last row seen, so pages stay
 * stable while rows are added.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, arity: number): (string | number)[] | null {
  if (!cursor) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === arity && key.every((k) => typeof k === 'string' || typeof k === 'number')) {
      return key as (string | number)[];
    }
  } catch {
    // fall through to the error below
  }
  throw new BadInputError('分页游标无效', 'Invalid cursor', { argument: 'after' });
}

/** A Relay connection's edges and page info for one page of nodes, newest-first or not. */
export function toConnection<T>(nodes: readonly T[], hasNextPage: boolean, cursorOf: (node: T) => string): {
  edges: Array<{ node: T; cursor: string }>;
  pageInfo: PageInfo;
} {
  const last = nodes.at(-1);
  return {
    edges: nodes.map((node) => ({ node, cursor: cursorOf(node) })),
    pageInfo: { hasNextPage, endCursor: last === undefined ? null : cursorOf(last) },
  };
}
