import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

/** A demo person offered on the sign-in page, with a token the gateway accepts. */
export interface DemoIdentity {
  name: string;
  label: string;
  labelEn: string;
  token: string;
}

export interface WebServerOptions {
  /** The built client (`ensureWebBuild().distDir`). */
  distDir: string;
  /**
   * The gateway's GraphQL endpoint. `/graphql` on this server passes through to it, over
   * HTTP and WebSocket, so the page talks to one origin and the gateway needs no CORS.
   */
  gatewayUrl: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Offered on the sign-in page; leave empty outside a demo. */
  demoIdentities?: DemoIdentity[];
  /** How often pages without a live subscription re-read. Default: the client's (3000 ms). */
  pollIntervalMs?: number;
  /** False keeps the client on polling even where the gateway serves subscriptions. Default true. */
  subscriptions?: boolean;
}

export interface RunningWebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  // Ant Design writes its styles at run time, hence 'unsafe-inline' for styles only.
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'",
};

/**
 * Serves the built web client: its files (any other path gets index.html, for the client's
 * router), `/config.json` with what the client needs at run time, and `/graphql` passed
 * through to the gateway.
 */
export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const root = normalize(options.distDir);
  if (!existsSync(join(root, 'index.html'))) throw new Error(`no built web client in ${root} (run ensureWebBuild first)`);
  const gateway = new URL(options.gatewayUrl);
  const config = JSON.stringify({
    graphqlUrl: '/graphql',
    demoIdentities: options.demoIdentities ?? [],
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
    subscriptions: options.subscriptions ?? true,
  });
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const path = decodePath(req.url);
    if (path === null) return send(res, 400, 'bad request');
    // /graphql and what lies under it (/graphql/stream: GraphQL over SSE).
    if (path === '/graphql' || path.startsWith('/graphql/')) return proxyHttp(req, res, gateway);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store', ...SECURITY_HEADERS });
      return res.end(req.method === 'HEAD' ? undefined : config);
    }
    serveFile(req, res, root, path);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (decodePath(req.url) !== '/graphql') return socket.destroy();
    proxyUpgrade(req, socket, head, gateway, sockets);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve((server.address() as AddressInfo).port));
  });
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function decodePath(url: string | undefined): string | null {
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://x').pathname);
  } catch {
    return null;
  }
}

function serveFile(req: IncomingMessage, res: ServerResponse, root: string, path: string): void {
  let file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) return send(res, 404, 'not found');
  let isFile = existsSync(file) && statSync(file).isFile();
  if (!isFile) {
    // A missing asset is a 404; any other path is a page of the client's router.
    if (path.startsWith('/assets/') || extname(path) !== '') return send(res, 404, 'not found');
    file = join(root, 'index.html');
    isFile = true;
  }
  const hashed = path.startsWith('/assets/');
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...SECURITY_HEADERS,
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': TYPES['.txt'], ...SECURITY_HEADERS });
  res.end(text);
}

function proxyHttp(req: IncomingMessage, res: ServerResponse, gateway: URL): void {
  const upstream = request(
    {
      host: gateway.hostname,
      port: gateway.port,
      method: req.method,
      path: gateway.pathname.replace(/\/$/, '') + (req.url ?? '/graphql').slice('/graphql'.length),
      headers: { ...req.headers, host: gateway.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.once('error', () => {
    if (!res.headersSent) send(res, 502, 'gateway unreachable');
    else res.destroy();
  });
  req.pipe(upstream);
}

/** WebSocket (graphql-ws): replay the upgrade request to the gateway, then splice the sockets. */
function proxyUpgrade(req: IncomingMessage, client: Socket, head: Buffer, gateway: URL, sockets: Set<Socket>): void {
  const upstream = connect(Number(gateway.port || 80), gateway.hostname);
  sockets.add(upstream);
  const fail = () => {
    client.destroy();
    upstream.destroy();
  };
  upstream.once('error', fail);
  client.once('error', fail);
  upstream.once('close', () => {
    sockets.delete(upstream);
    client.destroy();
  });
  client.once('close', () => upstream.destroy());
  upstream.once('connect', () => {
    const headers = { ...req.headers, host: gateway.host };
    const lines = [`${req.method ?? 'GET'} ${gateway.pathname} HTTP/1.1`];
    for (const [name, value] of Object.entries(headers)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) lines.push(`${name}: ${v}`);
    }
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
}
