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
  /** Admission decisions received (`recordAdmission`), in order. */
  readonly admissions: Array<{ id: string; accepted: boolean; reasons: string[] }> = [];
  /** How many admission decisions to answer with HTTP 503 before taking them. */
  refuseAdmissions = 0;
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
        const { query = '', variables = {} } = JSON.parse(body) as { query?: string; variables?: Record<string, unknown> };
        if (/recordAdmission/.test(query)) {
          if (this.refuseAdmissions > 0) {
            this.refuseAdmissions -= 1;
            res.writeHead(503).end();
            return;
          }
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { recordAdmission: this.recordAdmission(variables) } }));
          return;
        }
        const answer = /communities/.test(query) ? { data: { communities: this.communities } } : { errors: [{ message: 'fake exchange knows only the directory' }] };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  /** As the exchange does: only a PENDING community moves. */
  private recordAdmission(variables: Record<string, unknown>): { id: string; status: string } {
    const decision = { id: String(variables.id), accepted: variables.accepted === true, reasons: (variables.reasons as string[] | undefined) ?? [] };
    this.admissions.push(decision);
    const community = this.communities.find((c) => c.id === decision.id);
    if (community?.status === 'PENDING') community.status = decision.accepted ? 'ACTIVE' : 'REJECTED';
    return { id: decision.id, status: community?.status ?? 'UNKNOWN' };
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
