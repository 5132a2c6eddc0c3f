import { IdentityVerifier, type Viewer } from '@linli/subgraph-kit/identity';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DirectoryEntry } from '../routing/directory.js';

/**
 * Stands in for the exchange's directory only (`{ communities { id status endpoint } }`),
 * for the directory's own tests until the exchange subgraph lands. It checks the gateway's
 * signature like a real subgraph.
 */
export class FakeExchange {
  communities: DirectoryEntry[] = [];
  /** When set, every request answers this HTTP status. */
  failWith: number | null = null;
  readonly viewers: Viewer[] = [];
  requests = 0;
  private server: Server | undefined;

  constructor(private readonly verifier: IdentityVerifier) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void readBody(req).then((body) => {
        this.requests += 1;
        if (this.failWith) {
          res.writeHead(this.failWith).end();
          return;
        }
        let viewer: Viewer;
        try {
          viewer = this.verifier.verify(req.headers);
        } catch {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'unsigned' }] }));
          return;
        }
        this.viewers.push(viewer);
        const query = (JSON.parse(body) as { query?: string }).query ?? '';
        const answer = /communities/.test(query) ? { data: { communities: this.communities } } : { errors: [{ message: 'fake exchange knows only the directory' }] };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
