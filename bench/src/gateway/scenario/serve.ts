import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A lean GraphQL-over-HTTP server for the scenario's subgraphs and the direct server: the
 * same for every gateway, and cheap, so that the gateway is what the benchmark measures.
 * Parsed and validated documents are kept per query text.
 */
export async function serveSchema(schema: GraphQLSchema, port: number, host = '127.0.0.1'): Promise<{ url: string; server: Server }> {
  const documents = new Map<string, DocumentNode | readonly Error[]>();
  const documentOf = (query: string) => {
    let document = documents.get(query);
    if (!document) {
      try {
        const parsed = parse(query);
        const errors = validate(schema, parsed);
        document = errors.length ? errors : parsed;
      } catch (error) {
        document = [error as Error];
      }
      if (documents.size < 1_000) documents.set(query, document);
    }
    return document;
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        let body: { query?: string; variables?: Record<string, unknown>; operationName?: string };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"message":"invalid JSON"}]}');
          return;
        }
        const document = documentOf(body.query ?? '');
        const result =
          'kind' in document
            ? await execute({ schema, document, variableValues: body.variables, operationName: body.operationName })
            : { errors: document.map((e) => ({ message: e.message })) };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      })();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}/graphql`, server };
}
