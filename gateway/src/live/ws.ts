import type { Viewer } from '@linli/subgraph-kit/identity';
import { ANONYMOUS } from '@linli/subgraph-kit/identity';
import type { Logger } from '@linli/subgraph-kit/logger';
import { handleProtocols, makeServer, type SubscribePayload } from 'graphql-ws';
import type { ExecutionArgs, GraphQLError, GraphQLSchema } from './graphql.js';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { asGraphQLError, formatLiveError } from './errors.js';
import type { ConnectionCounter, LiveLimits } from './limits.js';
import type { LiveRegistry } from './registry.js';
import { UNAUTHORIZED_CLOSE, type LiveSessions, type Outcome } from './session.js';
import { SLOW_CONSUMER_CLOSE, type LiveConnection, type LiveResult } from './subscription.js';

export interface WebSocketTransportOptions {
  httpServer: Server;
  /** Where clients connect, `/graphql`: the same path (and port) as HTTP queries. */
  path: string;
  limits: LiveLimits;
  connections: ConnectionCounter;
  sessions: LiveSessions;
  registry: LiveRegistry;
  logger: Logger;
  /** Whatever schema the operation was checked against; graphql-ws wants one in the arguments. */
  schema: () => GraphQLSchema | null;
}

export interface WebSocketTransport {
  /** Open WebSockets. */
  readonly open: number;
  close(): Promise<void>;
}

/** How long a dropped client's close handshake may take before its socket is cut. */
const DROP_GRACE_MS = 1_000;

/** What graphql-ws carries from onSubscribe to subscribe/execute. */
interface Prepared {
  outcome: Outcome;
}

/**
 * graphql-ws (`graphql-transport-ws`) on the gateway's own HTTP server. Not `useServer`:
 * this adapter bounds what may wait in a connection's send buffer (a client that stops
 * reading is dropped with 1013 instead of growing the gateway's memory), counts connections
 * per address before the upgrade (HTTP 429 past the limit), pings every `keepAliveMs` and
 * cuts a client that did not answer the previous ping, and closes with 4401 for a bad token
 * in `connection_init` or when the token expires.
 */
export function attachWebSocket(options: WebSocketTransportOptions): WebSocketTransport {
  const { limits, connections, sessions, registry, logger } = options;
  const wss = new WebSocketServer({ noServer: true, handleProtocols, maxPayload: 256 * 1024, perMessageDeflate: false });
  let nextId = 1;
  let open = 0;

  const server = makeServer<Record<string, unknown>, { session: WsConnection }>({
    connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
    onConnect: async (ctx) => {
      const session = ctx.extra.session;
      try {
        const auth = await sessions.authenticate(ctx.connectionParams?.authorization);
        session.viewer = auth.viewer;
        session.cancelExpiry = sessions.watch(auth, (reason) => session.drop(UNAUTHORIZED_CLOSE, reason));
        return true;
      } catch {
        session.drop(UNAUTHORIZED_CLOSE, 'Unauthorized: invalid or expired token');
        return false;
      }
    },
    onSubscribe: async (ctx, _id, payload: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
      const session = ctx.extra.session;
      const schema = options.schema();
      if (!schema) return [asGraphQLError({ message: 'The gateway is not ready yet' })];
      let outcome: Outcome;
      try {
        outcome = await sessions.operation(
          { query: payload.query, variables: payload.variables ?? null, operationName: payload.operationName ?? null },
          session.viewer,
          session,
        );
      } catch (error) {
        logger.error({ err: error }, 'live operation failed');
        return [asGraphQLError(formatLiveError(error))];
      }
      if (outcome.kind === 'refused') return outcome.errors;
      const prepared: Prepared = { outcome };
      // graphql-ws reads the operation type from the document; the rest is ours.
      return { schema, document: outcome.document, operationName: payload.operationName ?? undefined, variableValues: payload.variables ?? {}, contextValue: prepared };
    },
    subscribe: (args) => streamOf(args.contextValue as Prepared),
    execute: (args) => streamOf(args.contextValue as Prepared),
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://gateway').pathname;
    if (path !== options.path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const ip = request.socket.remoteAddress ?? 'unknown';
    if (!connections.acquire(ip)) {
      socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // Released however the socket ends: a refused handshake, a drop, or a normal close.
    socket.once('close', () => connections.release(ip));
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  options.httpServer.on('upgrade', onUpgrade);

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    open += 1;
    const session = new WsConnection(nextId++, request.socket.remoteAddress ?? 'unknown', socket);
    socket.on('error', (error) => logger.debug({ err: error.message }, 'websocket error'));

    let answered = true;
    const pinger = setInterval(() => {
      if (!answered) {
        socket.terminate(); // did not answer the last ping
        return;
      }
      answered = false;
      socket.ping();
    }, limits.keepAliveMs);
    socket.on('pong', () => {
      answered = true;
    });

    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => {
          if (!session.open) return;
          socket.send(data);
          if (socket.bufferedAmount > limits.maxBufferedBytes) session.drop(SLOW_CONSUMER_CLOSE, 'Slow consumer: send buffer full');
        },
        close: (code, reason) => session.drop(code ?? 1000, reason ?? ''),
        onMessage: (cb) =>
          socket.on('message', (data) => {
            cb(String(data)).catch((error: unknown) => {
              logger.error({ err: error }, 'graphql-ws message failed');
              session.drop(4500, 'Internal server error');
            });
          }),
      },
      { session },
    );
    socket.once('close', (code, reason) => {
      open -= 1;
      clearInterval(pinger);
      session.closed();
      registry.connectionClosed(session);
      void closed(code, reason.toString());
    });
  });

  return {
    get open() {
      return open;
    },
    close: async () => {
      options.httpServer.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.close(1001, 'Going away');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const client of wss.clients) client.terminate();
    },
  };
}

/** One WebSocket, as the registry counts and drops it. */
class WsConnection implements LiveConnection {
  readonly transport = 'ws';
  viewer: Viewer = ANONYMOUS;
  cancelExpiry: () => void = () => {};
  private live = true;

  constructor(
    readonly id: number,
    readonly ip: string,
    private readonly socket: WebSocket,
  ) {}

  get open(): boolean {
    return this.live;
  }

  drop(code: number, reason: string): void {
    if (!this.live) return;
    this.closed();
    this.socket.close(code, reason);
    // A client that does not read will not read the close frame either.
    setTimeout(() => this.socket.terminate(), DROP_GRACE_MS).unref();
  }

  closed(): void {
    this.live = false;
    this.cancelExpiry();
  }
}

function streamOf(prepared: Prepared): AsyncIterable<LiveResult> | LiveResult {
  const { outcome } = prepared;
  if (outcome.kind === 'stream') return outcome.subscription;
  if (outcome.kind === 'result') return outcome.result;
  return { errors: outcome.errors };
}
