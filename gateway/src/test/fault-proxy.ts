import { parse, type OperationDefinitionNode } from 'graphql';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

/**
 * A loopback HTTP proxy in front of one subgraph instance that injects the faults a real
 * network has: latency (`delayMs`) and error answers (`failNext`). It counts the GraphQL
 * requests that reach it by operation type, so a test can tell retries from single sends.
 */
export class FaultProxy {
  /** Added before each request is forwarded. */
  delayMs = 0;
  /** Requests received, by the operation type of their document (injected failures included). */
  readonly received: Record<OperationType, number> = { query: 0, mutation: 0, subscription: 0, unknown: 0 };
  private readonly failures: number[] = [];
  private readonly stopping = new AbortController();

  private constructor(
    private readonly target: string,
    private readonly server: ReturnType<typeof createServer>,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<FaultProxy> {
    let proxy: FaultProxy | undefined;
    const server = createServer((req, res) => void proxy?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    proxy = new FaultProxy(target, server, `http://127.0.0.1:${port}${new URL(target).pathname}`);
    return proxy;
  }

  /** The next `count` requests are answered with `status` without reaching the instance. */
  failNext(status: number, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(status);
  }

  /** Zeroes the counts. */
  reset(): void {
    for (const key of Object.keys(this.received) as OperationType[]) this.received[key] = 0;
  }

  async close(): Promise<void> {
    this.stopping.abort();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Stop waiting when the gateway gives up on this request (its deadline) or the proxy closes.
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const signal = AbortSignal.any([gone.signal, this.stopping.signal]);
    try {
      const body = await readBody(req);
      this.received[operationType(body)] += 1;
      const status = this.failures.shift();
      if (status !== undefined) {
        res.writeHead(status, { 'content-type': 'text/plain' }).end('injected failure');
        return;
      }
      if (this.delayMs > 0) await sleep(this.delayMs, undefined, { signal });
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && !['host', 'connection', 'content-length'].includes(entry[0])),
      );
      const answer = await fetch(this.target, { method: req.method, headers, body: req.method === 'GET' ? undefined : body, signal });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
      else res.destroy();
    }
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function operationType(body: string): OperationType {
  try {
    const { query } = JSON.parse(body) as { query?: unknown };
    if (typeof query !== 'string') return 'unknown';
    const operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    return operation?.operation ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
