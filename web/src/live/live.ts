import { Kind, parse, type DocumentNode } from 'graphql';
import { LIVE_OPERATIONS, type LiveOperationName } from '../gql/live-operations';
import source from './subscriptions.graphql?raw';

/** Whether the supergraph the client was built from serves any subscription the client uses. */
export const LIVE_AVAILABLE = Object.values(LIVE_OPERATIONS).some(Boolean);

const definitions = parse(source).definitions;
const fragments = definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
const documents = new Map<string, DocumentNode>();
for (const d of definitions) {
  if (d.kind === Kind.OPERATION_DEFINITION && d.name && d.name.value in LIVE_OPERATIONS) {
    documents.set(d.name.value, { kind: Kind.DOCUMENT, definitions: [d, ...fragments] });
  }
}

/** The subscription document for `name`, or null when the schema does not serve it. */
export function liveDocument(name: LiveOperationName): DocumentNode | null {
  return LIVE_OPERATIONS[name] ? (documents.get(name) ?? null) : null;
}

/** Whether this client subscribes at all: the schema serves something and the deployment allows it. */
export const liveEnabled = (config: { subscriptions: boolean }): boolean => LIVE_AVAILABLE && config.subscriptions;
