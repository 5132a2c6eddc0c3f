/**
 * Settings read at start-up from `/config.json`, written by whoever serves the built client
 * (infra's web server for `npm start` and the end-to-end tests), so one build runs against
 * any gateway.
 */
export interface RuntimeConfig {
  /** GraphQL over HTTP; relative to the page or absolute. Default `/graphql`. */
  graphqlUrl: string;
  /** graphql-ws endpoint. Default: `graphqlUrl` with a ws:/wss: scheme. */
  subscriptionsUrl: string;
  /** How often a page without a live subscription re-reads what may change. Default 3000. */
  pollIntervalMs: number;
  /**
   * Whether to use the gateway's subscriptions (those the schema serves). False keeps every
   * page on polling, e.g. behind a proxy without WebSockets. Default true.
   */
  subscriptions: boolean;
  /** Identities offered on the sign-in page of a demo; empty elsewhere. */
  demoIdentities: DemoIdentity[];
}

/** A demo person with a ready token (the demo launcher mints them). */
export interface DemoIdentity {
  name: string;
  /** Role as a resident would say it, zh-CN and English. */
  label: string;
  labelEn: string;
  token: string;
}

export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
  const raw: unknown = response.ok ? await response.json() : {};
  return parseRuntimeConfig(raw, window.location.href);
}

export function parseRuntimeConfig(raw: unknown, pageUrl: string): RuntimeConfig {
  const value = isRecord(raw) ? raw : {};
  const graphqlUrl = typeof value.graphqlUrl === 'string' && value.graphqlUrl ? value.graphqlUrl : '/graphql';
  const subscriptionsUrl =
    typeof value.subscriptionsUrl === 'string' && value.subscriptionsUrl ? value.subscriptionsUrl : toWebSocketUrl(new URL(graphqlUrl, pageUrl));
  const pollIntervalMs = typeof value.pollIntervalMs === 'number' && value.pollIntervalMs >= 500 ? value.pollIntervalMs : 3000;
  const subscriptions = value.subscriptions !== false;
  const demoIdentities = Array.isArray(value.demoIdentities) ? value.demoIdentities.filter(isDemoIdentity) : [];
  return { graphqlUrl, subscriptionsUrl, pollIntervalMs, subscriptions, demoIdentities };
}

function toWebSocketUrl(url: URL): string {
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDemoIdentity(value: unknown): value is DemoIdentity {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    typeof value.label === 'string' &&
    typeof value.labelEn === 'string' &&
    typeof value.token === 'string'
  );
}
