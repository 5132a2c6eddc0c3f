import {
  Kind,
  parse,
  print,
  visit,
  type ASTNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';

/** Where a root field's community comes from: an inline literal or a variable. */
export type CommunitySource = { literal: string } | { variable: string } | null;

export interface RootField {
  responseKey: string;
  /** The selection to send: the field, re-wrapped in any conditional fragments it sat in. */
  node: SelectionNode;
  /** `__typename` is answered by the router itself; it belongs to no community. */
  typename: boolean;
  community: CommunitySource;
}

export interface RootFetch {
  kind: 'root';
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  fields: RootField[];
  rootTypename: string;
  /** Printed sub-documents by the indexes of the fields they hold. */
  printed: Map<string, SubOperation>;
}

export interface EntitiesFetch {
  kind: 'entities';
  representationsVariable: string;
}

export type PlannedFetch = RootFetch | EntitiesFetch;

export interface SubOperation {
  query: string;
  variableNames: ReadonlySet<string>;
}

export const COMMUNITY_ARGUMENT = 'communityId';

const ROOT_TYPENAMES = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

/** Reads a subgraph fetch the query planner produced: an entity fetch or root fields. */
export function planFetch(query: string): PlannedFetch {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error('community router: fetch without an operation');
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const fields = flattenRoot(operation.selectionSet.selections, fragments, []);
  const entities = entitiesVariable(fields);
  if (entities) return { kind: 'entities', representationsVariable: entities };
  return {
    kind: 'root',
    operation,
    fragments,
    rootTypename: ROOT_TYPENAMES[operation.operation],
    printed: new Map(),
    fields: fields.map(({ field, node }) => ({
      responseKey: field.alias?.value ?? field.name.value,
      node,
      typename: field.name.value === '__typename',
      community: communitySource(field),
    })),
  };
}

function entitiesVariable(fields: Array<{ field: FieldNode }>): string | null {
  const [only] = fields;
  if (fields.length !== 1 || !only || only.field.name.value !== '_entities') return null;
  const argument = only.field.arguments?.find((a) => a.name.value === 'representations');
  return argument?.value.kind === Kind.VARIABLE ? argument.value.name.value : null;
}

function communitySource(field: FieldNode): CommunitySource {
  const value = field.arguments?.find((a) => a.name.value === COMMUNITY_ARGUMENT)?.value;
  if (!value) return null;
  if (value.kind === Kind.STRING || value.kind === Kind.INT) return { literal: value.value };
  if (value.kind === Kind.VARIABLE) return { variable: value.name.value };
  return null;
}

/**
 * Root fields one by one, so that each can go to its own community. Fields inside root-level
 * fragments are lifted out; a fragment's directives (@include, @skip) are kept by wrapping
 * the field in an inline fragment carrying them.
 */
function flattenRoot(
  selections: readonly SelectionNode[],
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  conditions: ReadonlyArray<readonly DirectiveNode[]>,
): Array<{ field: FieldNode; node: SelectionNode }> {
  const out: Array<{ field: FieldNode; node: SelectionNode }> = [];
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      out.push({ field: selection, node: conditions.reduceRight<SelectionNode>((inner, directives) => wrap(inner, directives), selection) });
      continue;
    }
    const directives = selection.directives?.length ? [...conditions, selection.directives] : conditions;
    const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments.get(selection.name.value)?.selectionSet;
    if (inner) out.push(...flattenRoot(inner.selections, fragments, directives));
  }
  return out;
}

function wrap(selection: SelectionNode, directives: readonly DirectiveNode[]): SelectionNode {
  return { kind: Kind.INLINE_FRAGMENT, directives, selectionSet: { kind: Kind.SELECTION_SET, selections: [selection] } };
}

/**
 * A document with only the given root fields, the fragments they use and the variable
 * definitions they use: subgraphs reject a document that defines unused variables.
 */
export function subOperation(fetch: RootFetch, indexes: readonly number[]): SubOperation {
  const key = indexes.join(',');
  const cached = fetch.printed.get(key);
  if (cached) return cached;
  const selections = indexes.map((i) => fieldAt(fetch, i).node);
  const fragments = usedFragments(selections, fetch.fragments);
  const variableNames = usedVariables([...selections, ...fragments, ...(fetch.operation.directives ?? [])]);
  const operation: OperationDefinitionNode = {
    ...fetch.operation,
    variableDefinitions: fetch.operation.variableDefinitions?.filter((d) => variableNames.has(d.variable.name.value)),
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
  const built = { query: print(document), variableNames };
  fetch.printed.set(key, built);
  return built;
}

function fieldAt(fetch: RootFetch, index: number): RootField {
  const field = fetch.fields[index];
  if (!field) throw new RangeError(`community router: no root field ${index}`);
  return field;
}

function usedFragments(nodes: readonly ASTNode[], all: ReadonlyMap<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const pending = [...nodes];
  while (pending.length) {
    const node = pending.pop();
    if (!node) break;
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const definition = all.get(name);
        if (definition && !found.has(name)) {
          found.set(name, definition);
          pending.push(definition);
        }
      },
    });
  }
  return [...found.values()];
}

function usedVariables(nodes: readonly ASTNode[]): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) {
    visit(node, {
      Variable(variable) {
        names.add(variable.name.value);
      },
    });
  }
  return names;
}

/** Parsed fetches by query text; the planner produces the same few texts over and over. */
export class FetchPlans {
  private readonly plans = new Map<string, PlannedFetch>();

  constructor(private readonly capacity = 1000) {}

  get(query: string): PlannedFetch {
    const known = this.plans.get(query);
    if (known) {
      // Refresh its place so the most used texts stay.
      this.plans.delete(query);
      this.plans.set(query, known);
      return known;
    }
    const plan = planFetch(query);
    this.plans.set(query, plan);
    if (this.plans.size > this.capacity) {
      const oldest = this.plans.keys().next();
      if (!oldest.done) this.plans.delete(oldest.value);
    }
    return plan;
  }
}
