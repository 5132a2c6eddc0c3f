import { createHash } from 'node:crypto';
import {
  coerceInputValue,
  getNamedType,
  getOperationAST,
  GraphQLError,
  isNonNullType,
  Kind,
  parse,
  parseType,
  print,
  specifiedRules,
  typeFromAST,
  validate,
  valueFromAST,
  visit,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationRule,
  type VariableDefinitionNode,
} from './graphql.js';

/** A GraphQL request as a client sends it over graphql-ws or SSE. */
export interface LiveRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface ParsedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** As the client sent them (the resolution query is sent on with these). */
  rawVariables: Record<string, unknown>;
  /** Coerced to their types (for reading arguments). */
  variables: Record<string, unknown>;
}

/** The gateway's request limits (`limits/`), applied to live operations as to HTTP ones. */
export interface OperationChecks {
  parseOptions: ParseOptions;
  validationRules: readonly ValidationRule[];
  /** The typed limit error when a parse error is one (too many tokens). */
  limitError(parseError: unknown): GraphQLError | undefined;
}

/** Parses, validates and picks the operation; GraphQL's own errors (and the limits') when it cannot. */
export function parseOperation(schema: GraphQLSchema, request: LiveRequest, checks?: OperationChecks): ParsedOperation | readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(request.query, checks?.parseOptions);
  } catch (error) {
    const limit = checks?.limitError(error);
    return [limit ?? (error instanceof GraphQLError ? error : new GraphQLError('Syntax error'))];
  }
  const invalid = validate(schema, document, checks ? [...specifiedRules, ...checks.validationRules] : undefined);
  if (invalid.length) return invalid;
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (!operation) return [new GraphQLError('Unable to identify the operation (give operationName)')];
  const rawVariables = request.variables ?? {};
  const coerced = coerceVariables(schema, operation.variableDefinitions ?? [], rawVariables);
  if ('errors' in coerced) return coerced.errors;
  return { document, operation, rawVariables, variables: coerced.values };
}

/**
 * The request limits applied to the query an event will actually run: it carries one alias
 * and a few tokens more than the subscription, so a subscription just at a limit is refused
 * when it subscribes rather than failing on every event.
 */
export function checkResolutionLimits(schema: GraphQLSchema, query: string, checks: OperationChecks): readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(query, checks.parseOptions);
  } catch (error) {
    const limit = checks.limitError(error);
    return [limit ?? (error instanceof GraphQLError ? error : new GraphQLError('Syntax error'))];
  }
  return validate(schema, document, checks.validationRules);
}

/** The one root field of a subscription (validation has made sure there is exactly one). */
export interface SubscriptionTarget {
  fieldName: string;
  /** Alias or name: where the client expects the payload. */
  responseKey: string;
  fieldNode: FieldNode;
  field: GraphQLField<unknown, unknown>;
  args: Record<string, unknown>;
}

export function subscriptionTarget(schema: GraphQLSchema, parsed: ParsedOperation): SubscriptionTarget | readonly GraphQLError[] {
  const root = schema.getSubscriptionType();
  if (!root || parsed.operation.operation !== 'subscription') return [new GraphQLError('Not a subscription')];
  const fragments = fragmentsOf(parsed.document);
  const fieldNode = rootFields(parsed.operation.selectionSet, fragments).find((f) => f.name.value !== '__typename');
  const field = fieldNode && root.getFields()[fieldNode.name.value];
  if (!fieldNode || !field) return [new GraphQLError('A subscription selects one field of Subscription')];
  const args = argumentValues(field, fieldNode, parsed.variables);
  if (args instanceof GraphQLError) return [args];
  return { fieldName: field.name, responseKey: fieldNode.alias?.value ?? fieldNode.name.value, fieldNode, field, args };
}

/**
 * The query that reads an announced entity back for one subscription: the subscriber's
 * selection set (its fragments and the variables it uses) under a root query field that
 * returns the same type, aliased to the subscription's response key, so that the answer's
 * `data` is the event's payload as it stands.
 *
 *   subscription($id: ID!) { bookingUpdated(id: $id) { status resource { name } } }
 *   → query LiveResolution($__live_id: ID!) { bookingUpdated: booking(id: $__live_id) { status resource { name } } }
 */
export interface ResolutionPlan {
  query: string;
  responseKey: string;
  /** The subscriber's variables the query uses, as sent. */
  variables: Record<string, unknown>;
  /** Entity argument name → variable carrying the value an event gives it. */
  entityVariables: Record<string, string>;
  /** Digest of the query and its variables: equal plans resolve equal answers for one viewer. */
  key: string;
}

export const RESOLUTION_OPERATION = 'LiveResolution';

export function resolutionPlan(
  schema: GraphQLSchema,
  parsed: ParsedOperation,
  target: SubscriptionTarget,
  entity: { field: string; args: readonly string[] },
): ResolutionPlan | readonly GraphQLError[] {
  const query = schema.getQueryType()?.getFields()[entity.field];
  if (!query) return [new GraphQLError(`The federation no longer serves Query.${entity.field}, which ${target.fieldName} reads its payload from`)];
  if (getNamedType(query.type) !== getNamedType(target.field.type)) {
    return [new GraphQLError(`Query.${entity.field} no longer returns ${getNamedType(target.field.type).name}`)];
  }
  const fragments = fragmentsOf(parsed.document);
  const usedFragments = fragmentsUsedBy(target.fieldNode, fragments);
  // The field's own arguments are for matching events, not for reading the entity.
  const usedVariables = variablesUsedBy([...(target.fieldNode.selectionSet ? [target.fieldNode.selectionSet] : []), ...(target.fieldNode.directives ?? []), ...usedFragments]);
  const entityVariables: Record<string, string> = {};
  const entityDefinitions: VariableDefinitionNode[] = [];
  for (const name of entity.args) {
    const arg = query.args.find((a) => a.name === name);
    if (!arg) return [new GraphQLError(`Query.${entity.field} no longer takes the argument ${name}`)];
    const variable = `__live_${name}`;
    entityVariables[name] = variable;
    entityDefinitions.push({
      kind: Kind.VARIABLE_DEFINITION,
      variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: variable } },
      type: parseType(String(arg.type)),
    });
  }
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: 'query' as OperationDefinitionNode['operation'],
        name: { kind: Kind.NAME, value: RESOLUTION_OPERATION },
        variableDefinitions: [...(parsed.operation.variableDefinitions ?? []).filter((d) => usedVariables.has(d.variable.name.value)), ...entityDefinitions],
        directives: [],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              alias: { kind: Kind.NAME, value: target.responseKey },
              name: { kind: Kind.NAME, value: entity.field },
              arguments: entity.args.map((name) => ({
                kind: Kind.ARGUMENT,
                name: { kind: Kind.NAME, value: name },
                value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: entityVariables[name]! } },
              })),
              directives: target.fieldNode.directives ?? [],
              selectionSet: target.fieldNode.selectionSet,
            },
          ],
        },
      },
      ...usedFragments,
    ],
  };
  const invalid = validate(schema, document);
  if (invalid.length) return invalid;
  const text = print(document);
  const variables = Object.fromEntries(Object.entries(parsed.rawVariables).filter(([name]) => usedVariables.has(name)));
  return { query: text, responseKey: target.responseKey, variables, entityVariables, key: digest(`${text}\n${stableJson(variables)}`) };
}

/** JSON with object keys sorted, so equal values give equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) map.set(d.name.value, d);
  return map;
}

function rootFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD) fields.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) fields.push(...rootFields(s.selectionSet, fragments));
    else {
      const fragment = fragments.get(s.name.value);
      if (fragment) fields.push(...rootFields(fragment.selectionSet, fragments));
    }
  }
  return fields;
}

function fragmentsUsedBy(node: FieldNode, fragments: Map<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const walk = (n: FieldNode | FragmentDefinitionNode) =>
    visit(n, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (fragment && !used.has(name)) {
          used.set(name, fragment);
          walk(fragment);
        }
      },
    });
  walk(node);
  return [...used.values()];
}

function variablesUsedBy(nodes: ReadonlyArray<ASTNode>): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) {
    visit(node, {
      Variable(v) {
        names.add(v.name.value);
      },
    });
  }
  return names;
}

function coerceVariables(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  inputs: Record<string, unknown>,
): { values: Record<string, unknown> } | { errors: GraphQLError[] } {
  const values: Record<string, unknown> = {};
  const errors: GraphQLError[] = [];
  for (const def of definitions) {
    const name = def.variable.name.value;
    const type = typeFromAST(schema, def.type);
    if (!type) {
      errors.push(new GraphQLError(`Variable $${name} has an unknown type`));
      continue;
    }
    if (!Object.hasOwn(inputs, name)) {
      if (def.defaultValue) values[name] = valueFromAST(def.defaultValue, type as never);
      else if (isNonNullType(type)) errors.push(new GraphQLError(`Variable $${name} of required type ${String(type)} was not provided`));
      continue;
    }
    try {
      values[name] = coerceInputValue(inputs[name], type as never, (path, _invalid, error) => {
        throw new GraphQLError(`Variable $${name} got an invalid value${path.length ? ` at ${path.join('.')}` : ''}: ${error.message}`);
      });
    } catch (error) {
      errors.push(error instanceof GraphQLError ? error : new GraphQLError(`Variable $${name} got an invalid value`));
    }
  }
  return errors.length ? { errors } : { values };
}

function argumentValues(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): Record<string, unknown> | GraphQLError {
  const values: Record<string, unknown> = {};
  for (const arg of field.args) {
    const given = node.arguments?.find((a) => a.name.value === arg.name);
    const fromVariable = given?.value.kind === Kind.VARIABLE ? given.value.name.value : null;
    if (!given || (fromVariable !== null && !Object.hasOwn(variables, fromVariable))) {
      if (arg.defaultValue !== undefined) values[arg.name] = arg.defaultValue;
      else if (isNonNullType(arg.type)) return new GraphQLError(`Argument ${arg.name} of ${field.name} is required`);
      continue;
    }
    const value = valueFromAST(given.value, arg.type, variables);
    if (value === undefined) return new GraphQLError(`Argument ${arg.name} of ${field.name} has an invalid value`);
    values[arg.name] = value;
  }
  return values;
}
