import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { describe, expect, it } from 'vitest';
import { EntityDeduplication } from './entity-dedup.js';

type Representation = { __typename: string; upc: string };

/** The next data source: records what it was sent, answers each representation, and fails the one named `broken`. */
class RecordingSource implements GraphQLDataSource {
  sent: Representation[][] = [];
  async process(options: GraphQLDataSourceProcessOptions) {
    const representations = options.request.variables?.representations as Representation[];
    this.sent.push(representations);
    const broken = representations.findIndex((r) => r.upc === 'broken');
    return {
      data: { _entities: representations.map((r) => (r.upc === 'broken' ? null : { __typename: r.__typename, upc: r.upc, name: `商品 ${r.upc}` })) },
      ...(broken >= 0 ? { errors: [{ message: 'not found', path: ['_entities', broken, 'name'], extensions: { code: 'NOT_FOUND' } }] } : {}),
    };
  }
}

const product = (upc: string): Representation => ({ __typename: 'Product', upc });
const fetchOf = (representations: Representation[]) =>
  ({ kind: 'incoming operation', request: { query: '{ _entities { ... } }', variables: { representations } }, context: {} }) as unknown as GraphQLDataSourceProcessOptions;

describe('entity representations sent once per fetch', () => {
  it('sends each distinct representation once and answers every position the planner asked for, each with an object of its own', async () => {
    const source = new RecordingSource();
    const answer = await new EntityDeduplication(source).process(fetchOf([product('1'), product('2'), product('1'), product('1')]));
    expect(source.sent).toEqual([[product('1'), product('2')]]);
    const entities = answer.data?._entities as Array<{ upc: string; name: string }>;
    expect(entities.map((e) => e.upc)).toEqual(['1', '2', '1', '1']);
    // The planner merges into these objects: a repeat must not be the same object as its first.
    expect(new Set(entities).size).toBe(4);
  });

  it('puts an error of a shared representation at every position that asked for it', async () => {
    const source = new RecordingSource();
    const answer = await new EntityDeduplication(source).process(fetchOf([product('broken'), product('2'), product('broken')]));
    expect(source.sent).toEqual([[product('broken'), product('2')]]);
    expect(answer.data?._entities).toEqual([null, { __typename: 'Product', upc: '2', name: '商品 2' }, null]);
    expect(answer.errors?.map((e) => e.path)).toEqual([
      ['_entities', 0, 'name'],
      ['_entities', 2, 'name'],
    ]);
  });

  it('passes a fetch without repeats through unchanged', async () => {
    const source = new RecordingSource();
    await new EntityDeduplication(source).process(fetchOf([product('1'), product('2')]));
    expect(source.sent).toEqual([[product('1'), product('2')]]);
  });
});
