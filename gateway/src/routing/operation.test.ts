import { describe, expect, it } from 'vitest';
import { planFetch, subOperation, type RootFetch } from './operation.js';

function root(query: string): RootFetch {
  const plan = planFetch(query);
  if (plan.kind !== 'root') throw new Error('expected root fields');
  return plan;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('splitting a fetch by root field', () => {
  it('recognises an entity fetch by its representations variable', () => {
    expect(planFetch('query($representations:[_Any!]!){_entities(representations:$representations){...on Community{id}}}')).toEqual({
      kind: 'entities',
      representationsVariable: 'representations',
    });
  });

  it('reads communityId from literals and variables, and keeps only the variables a part uses', () => {
    const plan = root('query Q__community__0($a:ID!,$b:ID!,$k:ResourceKind){x:resources(communityId:$a,kind:$k){edges{cursor}} y:resources(communityId:$b){edges{cursor}} z:resource(communityId:"c",id:"1"){id}}');
    expect(plan.fields.map((f) => [f.responseKey, f.community])).toEqual([
      ['x', { variable: 'a' }],
      ['y', { variable: 'b' }],
      ['z', { literal: 'c' }],
    ]);
    expect(squash(subOperation(plan, [1]).query)).toBe('query Q__community__0($b: ID!) { y: resources(communityId: $b) { edges { cursor } } }');
    expect([...subOperation(plan, [0]).variableNames].sort()).toEqual(['a', 'k']);
    expect(squash(subOperation(plan, [2]).query)).toBe('query Q__community__0 { z: resource(communityId: "c", id: "1") { id } }');
  });

  it('lifts fields out of root fragments, keeping their conditions and the fragments they use', () => {
    const plan = root(`query($a:ID!,$b:ID!,$show:Boolean!){
      ...Both
      ... @include(if:$show) { extra: resources(communityId:$b) { ...Page } }
    }
    fragment Both on Query { first: resources(communityId:$a) { ...Page } }
    fragment Page on SharedResourceConnection { pageInfo { hasNextPage } }`);
    expect(plan.fields.map((f) => f.responseKey)).toEqual(['first', 'extra']);
    expect(squash(subOperation(plan, [1]).query)).toBe(
      squash(`query ($b: ID!, $show: Boolean!) { ... @include(if: $show) { extra: resources(communityId: $b) { ...Page } } }
      fragment Page on SharedResourceConnection { pageInfo { hasNextPage } }`),
    );
    expect(squash(subOperation(plan, [0]).query)).toBe(
      squash(`query ($a: ID!) { first: resources(communityId: $a) { ...Page } }
      fragment Page on SharedResourceConnection { pageInfo { hasNextPage } }`),
    );
  });
});
