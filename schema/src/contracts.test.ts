import { describe, expect, it } from 'vitest';
import { emittedSdl } from './emit.js';
import { composeSupergraph, readContract, readSupergraph, SUBGRAPHS } from './index.js';

describe('schema contracts', () => {
  it.each(SUBGRAPHS)('the committed %s SDL is what the code serves (run `npm run schema:emit` after a schema change)', async (name) => {
    const sdl = await emittedSdl();
    expect(sdl[name]).toBe(readContract(name));
  });

  it('the committed contracts compose into the committed supergraph without errors', () => {
    const composed = composeSupergraph({ community: readContract('community'), exchange: readContract('exchange') });
    expect(composed).toBe(readSupergraph());
  });
});
