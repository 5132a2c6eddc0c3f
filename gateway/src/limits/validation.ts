import { ApolloArmor } from '@escape.tech/graphql-armor';
import { LinliError } from '@linli/subgraph-kit/errors';
import {
  Kind,
  type ASTVisitor,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { RequestLimitError, type RequestLimitName } from './errors.js';
import type { OperationLimits } from './options.js';

export interface OperationLimitRules {
  /** Extra validation rules: graphql-armor's depth, aliases, cost and directives, and root fields. */
  validationRules: ValidationRule[];
  /** graphql-js stops parsing past `maxTokens`, before the document is ever built. */
  parseOptions: ParseOptions;
}

/**
 * graphql-armor, configured so that each rejection is a typed LIMIT_EXCEEDED error naming the
 * limit: by default armor reports BAD_USER_INPUT with only a message, which a client cannot
 * tell from a typo. Armor's own token plugin is left off: it throws inside Apollo's
 * `parsingDidStart`, which Apollo answers with a 500; graphql-js's `maxTokens` does the same
 * count during the one parse, and `asLimitError` gives its error the code.
 */
export function operationLimitRules(limits: OperationLimits): OperationLimitRules {
  // Fragments are flattened: a spread adds neither nesting nor cost to what is fetched.
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, propagateOnRejection: false, onReject: [reject('depth', limits.maxDepth)] },
    maxAliases: { n: limits.maxAliases, propagateOnRejection: false, onReject: [reject('aliases', limits.maxAliases)] },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, flattenFragments: true, propagateOnRejection: false, onReject: [reject('cost', limits.maxCost)] },
    maxDirectives: { n: limits.maxDirectives, propagateOnRejection: false, onReject: [reject('directives', limits.maxDirectives)] },
    maxTokens: { enabled: false },
    // Apollo's own `hideSchemaDetailsFromClientErrors` does this where wanted (persisted-only mode).
    blockFieldSuggestion: { enabled: false },
  });
  const { validationRules } = armor.protect();
  return {
    validationRules: [...validationRules, maxRootFieldsRule(limits.maxRootFields)],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

function reject(limit: RequestLimitName, max: number) {
  return (context: ValidationContext | null, error: { message: string }): void => {
    // Armor says how much it found only in its message ("…, found 13.").
    const found = /found (\d+(?:\.\d+)?)/.exec(error.message)?.[1];
    context?.reportError(new RequestLimitError(limit, max, found === undefined ? undefined : Number(found)));
  };
}

/**
 * Root fields fan out into subgraph fetches of their own (and, for the community router, into
 * one fetch per community named), so their number is worth a limit of its own; armor has none.
 */
function maxRootFieldsRule(max: number): ValidationRule {
  return (context): ASTVisitor => ({
    OperationDefinition(operation) {
      const found = countRootFields(operation.selectionSet, context, new Set());
      if (found > max) context.reportError(new RequestLimitError('rootFields', max, found));
    },
  });
}

function countRootFields(selectionSet: SelectionSetNode, context: ValidationContext, seenFragments: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countRootFields(selection.selectionSet, context, seenFragments);
    } else if (!seenFragments.has(selection.name.value)) {
      // A spread cycle is reported by graphql's own rules; count each fragment once here.
      seenFragments.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) count += countRootFields(fragment.selectionSet, context, seenFragments);
    }
  }
  return count;
}

/**
 * What the gateway's formatError should see for `error`: the typed limit error when Apollo
 * wrapped one (validation errors arrive as Apollo's GRAPHQL_VALIDATION_FAILED with ours as
 * `originalError`; parse errors likewise with graphql-js's). Anything else as it is. The
 * wrapper is recognised by shape, not class: under vitest, Apollo and our code may hold two
 * copies of graphql-js.
 */
export function asLimitError(error: unknown, maxTokens: number): unknown {
  const original = (error as { originalError?: unknown } | null)?.originalError;
  if (original instanceof LinliError) return original;
  return tokenLimitError(original, maxTokens) ?? error;
}

/**
 * graphql-js's parse error past `maxTokens`, as the typed `tokens` limit. Its text (graphql-js's
 * own, pinned) is the only mark it carries.
 */
export function tokenLimitError(parseError: unknown, maxTokens: number): RequestLimitError | undefined {
  const message = (parseError as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /^Syntax Error: Document contains more tha[nt] \d+ tokens/.test(message)
    ? new RequestLimitError('tokens', maxTokens)
    : undefined;
}
