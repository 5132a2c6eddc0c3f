import { describe, expect, it } from 'vitest';
import { checkContract, formatFinding, type ContractFinding } from './contract.js';
import { readContract } from './index.js';

const CONTRACT = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Resource @key(fields: "communityId id") {
  id: ID!
  communityId: ID!
  name: String
  tags: [String]
  kind: Kind!
}
enum Kind { ROOM COURT }
union Thing = Resource | Room
type Room { id: ID! }
interface Node { id: ID! }
type Page implements Node { id: ID! }
input HoldInput { resourceId: ID! quantity: Int }
type Query {
  resource(communityId: ID!, id: ID!): Resource
  resources(communityId: ID!, first: Int): [Resource!]!
}
`;

/** The contract with `edit` applied to its text: each test changes one thing. */
function candidate(edit: (sdl: string) => string): ContractFinding[] {
  return checkContract(edit(CONTRACT), CONTRACT).findings;
}

describe('checkContract', () => {
  it('passes the contract itself, and one that adds types, fields, nullable arguments and stricter outputs', () => {
    expect(checkContract(CONTRACT, CONTRACT)).toEqual({ ok: true, findings: [] });
    const richer = CONTRACT.replace('name: String', 'name: String!\n  extra: Int')
      .replace('tags: [String]', 'tags: [String!]!')
      .replace('first: Int)', 'first: Int, lang: String)')
      .concat('\ntype Extra { x: Int }\n');
    expect(checkContract(richer, CONTRACT)).toEqual({ ok: true, findings: [] });
  });

  it('passes the committed community contract against itself, with type extensions merged', () => {
    expect(checkContract(readContract('community'), readContract('community')).ok).toBe(true);
    const split = CONTRACT.replace('  resources(communityId: ID!, first: Int): [Resource!]!\n}', '}\nextend type Query {\n  resources(communityId: ID!, first: Int): [Resource!]!\n}');
    expect(checkContract(split, CONTRACT).ok).toBe(true);
  });

  it('reports a missing type and a type of the wrong kind', () => {
    expect(candidate((s) => s.replace('type Room { id: ID! }', ''))).toEqual([
      expect.objectContaining({ path: 'Room', kind: 'missing type' }),
    ]);
    expect(candidate((s) => s.replace('enum Kind { ROOM COURT }', 'scalar Kind'))).toEqual([
      expect.objectContaining({ path: 'Kind', kind: 'wrong kind', en: 'should be enum, is scalar' }),
    ]);
  });

  it('reports a missing field with the type it should have', () => {
    const [f] = candidate((s) => s.replace('  name: String\n', ''));
    expect(f).toEqual({ path: 'Resource.name', kind: 'missing field', zh: '缺少字段（应为 String）', en: 'missing field (should be String)' });
    expect(formatFinding(f!)).toBe('Resource.name: 缺少字段（应为 String） (missing field (should be String))');
  });

  it('reports an output type that is looser or different, at any list depth', () => {
    expect(candidate((s) => s.replace('kind: Kind!', 'kind: Kind'))).toEqual([
      expect.objectContaining({ path: 'Resource.kind', kind: 'wrong type', en: 'type should be Kind! or a non-null form of it, is Kind' }),
    ]);
    expect(candidate((s) => s.replace('[Resource!]!', '[Resource]!'))).toEqual([expect.objectContaining({ path: 'Query.resources', kind: 'wrong type' })]);
    expect(candidate((s) => s.replace('tags: [String]', 'tags: String'))).toEqual([expect.objectContaining({ path: 'Resource.tags', kind: 'wrong type' })]);
    expect(candidate((s) => s.replace('name: String', 'name: Int'))).toEqual([expect.objectContaining({ path: 'Resource.name', kind: 'wrong type' })]);
  });

  it('reports missing arguments, arguments of another type (stricter too) and extra required ones', () => {
    expect(candidate((s) => s.replace('resource(communityId: ID!, id: ID!)', 'resource(id: ID!)'))).toEqual([
      expect.objectContaining({ path: 'Query.resource(communityId)', kind: 'missing argument' }),
    ]);
    expect(candidate((s) => s.replace('first: Int)', 'first: Int!)'))).toEqual([
      expect.objectContaining({ path: 'Query.resources(first)', kind: 'wrong argument type', en: 'type should be Int, is Int!' }),
    ]);
    expect(candidate((s) => s.replace('first: Int)', 'first: Int, lang: String!)'))).toEqual([
      expect.objectContaining({ path: 'Query.resources(lang)', kind: 'extra required argument' }),
    ]);
  });

  it('reports input fields that are missing, of another type or extra and required', () => {
    expect(candidate((s) => s.replace('input HoldInput { resourceId: ID! quantity: Int }', 'input HoldInput { resourceId: ID quantity: Int reason: String! }'))).toEqual([
      expect.objectContaining({ path: 'HoldInput.resourceId', kind: 'wrong input field type' }),
      expect.objectContaining({ path: 'HoldInput.reason', kind: 'extra required input field' }),
    ]);
    expect(candidate((s) => s.replace(' quantity: Int }', ' }'))).toEqual([expect.objectContaining({ path: 'HoldInput.quantity', kind: 'missing input field' })]);
  });

  it('reports a missing enum value, union member and interface', () => {
    expect(candidate((s) => s.replace('ROOM COURT', 'ROOM'))).toEqual([expect.objectContaining({ path: 'Kind.COURT', kind: 'missing enum value' })]);
    expect(candidate((s) => s.replace('= Resource | Room', '= Resource'))).toEqual([expect.objectContaining({ path: 'Thing', kind: 'missing union member' })]);
    expect(candidate((s) => s.replace('type Page implements Node', 'type Page'))).toEqual([expect.objectContaining({ path: 'Page', kind: 'missing interface' })]);
  });

  it('reports a missing @key and a wrong one, accepting other spacing of the same fields', () => {
    expect(candidate((s) => s.replace(' @key(fields: "communityId id")', ''))).toEqual([
      expect.objectContaining({ path: 'Resource', kind: 'missing key', en: 'missing @key(fields: "communityId id")' }),
    ]);
    expect(candidate((s) => s.replace('@key(fields: "communityId id")', '@key(fields: "id")'))).toEqual([
      expect.objectContaining({ path: 'Resource', kind: 'wrong key', en: 'should have @key(fields: "communityId id"), has @key(fields: "id")' }),
    ]);
    expect(candidate((s) => s.replace('"communityId id"', '"communityId,  id"'))).toEqual([]);
  });

  it('reports an SDL that does not parse instead of throwing', () => {
    const report = checkContract('type {', CONTRACT);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ path: '(schema)', kind: 'unreadable schema' })]);
  });
});
