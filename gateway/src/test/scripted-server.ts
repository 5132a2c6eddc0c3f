import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server does with one request. */
export type Reply = (res: ServerResponse, req: IncomingMessage) => void;

export const replies = {
  data: (data: Record<string, unknown>): Reply => (res) => json(res, 200, { data }),
  graphqlErrors: (message: string): Reply => (res) => json(res, 200, { data: null, errors: [{ message, extensions: { code: 'NOT_FOUND' } }] }),
  refused: (message: string): Reply => (res) => json(res, 400, { errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] }),
  status: (status: number): Reply => (res) => res.writeHead(status, { 'content-type': 'text/plain' }).end('unavailable'),
  /** Cuts the connection without answering, as a crashing process or a reset does. */
  cut: (): Reply => (_res, req) => req.socket.destroy(),
  /** Answers after `ms`, as a subgraph busy for that long does. */
  later: (ms: number, reply: Reply): Reply => (res, req) => void setTimeout(() => reply(res, req), ms),
  /** Never answers: only the client's deadline ends it. */
  silence: (): Reply => () => undefined,
};

/**
 * A real HTTP server answering each request by the next reply of its script (the last reply
 * repeats), counting the requests it received.
 */
export class ScriptedServer {
  requests = 0;
  private script: Reply[] = [];

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly url: string,
  ) {}

  static async start(): Promise<ScriptedServer> {
    let scripted: ScriptedServer | undefined;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => scripted?.answer(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    scripted = new ScriptedServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
    return scripted;
  }

  /** Replaces the script and zeroes the count. */
  play(...script: Reply[]): void {
    this.script = script;
    this.requests = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    this.requests += 1;
    const reply = this.script.length > 1 ? this.script.shift() : this.script[0];
    (reply ?? replies.status(500))(res, req);
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
