import { ANONYMOUS } from '@linli/subgraph-kit/identity';
import type { Logger } from '@linli/subgraph-kit/logger';
import { createHandler } from 'graphql-sse';
import type { ExecutionResult } from './graphql.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { asGraphQLError, formatLiveError } from './errors.js';
import type { ConnectionCounter, LiveLimits } from './limits.js';
import type { Authentication } from '../security/tokens.js';
import type { LiveSessions } from './session.js';
import { SLOW_CONSUMER_CLOSE, type LiveConnection, type LiveSubscription } from './subscription.js';

export interface SseTransportOptions {
  limits: LiveLimits;
  connections: ConnectionCounter;
  sessions: LiveSessions;
  logger: Logger;
}

export interface SseTransport {
  /** The request handler (express or plain node:http) for the SSE endpoint. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  readonly open: number;
  /** Ends every open stream. */
  close(): void;
}

const MAX_BODY_BYTES = 256 * 1024;

interface RequestState extends Authentication {
  connection: SseConnection;
}

/**
 * GraphQL over Server-Sent Events (graphql-sse, "distinct connections" mode: one stream per
 * operation), authenticated by the request's `Authorization` header (HTTP 401 for a bad
 * token). Like the WebSocket transport it counts streams per address (HTTP 429 past the
 * limit), bounds what may wait unsent to a client (a client that stops reading is cut),
 * and ends a stream when its token expires. An operation that is refused, or a
 * subscription that ends with an error, is answered as a final `next` with `errors`.
 */
export function createSseTransport(options: SseTransportOptions): SseTransport {
  const { limits, connections, sessions, logger } = options;
  const open = new Set<SseConnection>();
  let nextId = 1;

  const handler = createHandler<IncomingMessage, RequestState | undefined>({
    authenticate: async (req) => {
      try {
        const { viewer, expiresAt, stillTrusted } = await sessions.authenticate(req.headers.get('authorization') ?? undefined);
        if (req.context) Object.assign(req.context, { viewer, expiresAt, stillTrusted });
      } catch (error) {
        return [
          JSON.stringify({ errors: [formatLiveError(error)] }),
          { status: 401, statusText: 'Unauthorized', headers: { 'content-type': 'application/json; charset=utf-8' } },
        ];
      }
      // No reservation tokens: single-connection mode is off, every operation has its own stream.
      return null;
    },
    onSubscribe: async (req, params) => {
      const state = req.context;
      if (!state) return { data: null, errors: [asGraphQLError({ message: 'No stream state' })] };
      const outcome = await sessions.operation(
        { query: params.query, variables: params.variables ?? null, operationName: params.operationName ?? null },
        state.viewer,
        state.connection,
      );
      if (outcome.kind === 'stream') return sseStream(outcome.subscription);
      if (outcome.kind === 'result') return outcome.result;
      return { data: null, errors: outcome.errors };
    },
  });

  return {
    get open() {
      return open.size;
    },
    close: () => {
      for (const connection of [...open]) connection.drop(1001, 'Going away');
    },
    async handle(req, res) {
      const streaming = req.headers.accept === 'text/event-stream';
      const ip = req.socket.remoteAddress ?? 'unknown';
      if (streaming && !connections.acquire(ip)) {
        res.writeHead(429, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ errors: [{ message: 'Too many connections' }] }));
        return;
      }
      const connection = new SseConnection(nextId++, ip, res);
      if (streaming) {
        open.add(connection);
        res.once('close', () => {
          connection.closed();
          open.delete(connection);
          connections.release(ip);
        });
      }
      // `authenticate` fills in the viewer before any operation runs.
      const state: RequestState = { viewer: ANONYMOUS, expiresAt: null, connection };
      try {
        const [body, init] = await handler({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: { get: (key) => single(req.headers[key.toLowerCase()]) },
          body: () => readBody(req),
          raw: req,
          context: state,
        });
        if (res.destroyed) return;
        res.writeHead(init.status, init.statusText, init.headers);
        if (!body || typeof body === 'string') {
          res.end(body ?? undefined);
          return;
        }
        connection.cancelExpiry = sessions.watch(state, (reason) => connection.drop(4401, reason));
        res.once('close', () => void body.return(undefined));
        for await (const chunk of body) {
          if (!res.writable) break;
          res.write(chunk);
          // A client that stopped reading: cut it rather than buffer without bound.
          if (res.writableLength > limits.maxBufferedBytes) {
            connection.drop(SLOW_CONSUMER_CLOSE, 'Slow consumer');
            break;
          }
        }
        if (!res.destroyed) res.end();
      } catch (error) {
        logger.error({ err: error }, 'sse request failed');
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      }
    },
  };
}

/** One SSE stream (one operation), as the registry counts and drops it. */
class SseConnection implements LiveConnection {
  readonly transport = 'sse';
  cancelExpiry: () => void = () => {};
  private live = true;

  constructor(
    readonly id: number,
    readonly ip: string,
    private readonly res: ServerResponse,
  ) {}

  get open(): boolean {
    return this.live;
  }

  /** Streams have no close codes: the code only says why in the log. */
  drop(_code: number, _reason: string): void {
    if (!this.live) return;
    this.closed();
    this.res.destroy();
  }

  closed(): void {
    this.live = false;
    this.cancelExpiry();
  }
}

/**
 * The subscription as graphql-sse iterates it. Not an async generator: a generator's
 * `return()` waits for a pending `next()`, so a client that leaves while nothing happens
 * would never be let go. An error that ends the subscription becomes its last payload.
 */
function sseStream(subscription: LiveSubscription): AsyncIterableIterator<ExecutionResult> {
  let failed = false;
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      if (failed) return { done: true, value: undefined };
      try {
        return await subscription.next();
      } catch (error) {
        failed = true;
        return { done: false, value: { data: null, errors: [asGraphQLError(formatLiveError(error))] } };
      }
    },
    return: () => subscription.return(),
    throw: () => subscription.return(),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

function single(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header.join(', ') : header;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    let size = 0;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      size += Buffer.byteLength(chunk);
      if (size > MAX_BODY_BYTES) {
        reject(new Error('Request body too large'));
        req.destroy();
        return;
      }
      body += chunk;
    });
    req.once('error', reject);
    req.once('end', () => resolve(body));
  });
}
