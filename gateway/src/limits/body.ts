import { formatError } from '@linli/subgraph-kit/errors';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { RequestLimitError } from './errors.js';

/**
 * The JSON body parser of `POST /graphql`, bounded: a larger body is refused while it is
 * read (HTTP 413) and answered as GraphQL errors are, so a client reads one shape.
 */
export function boundedJsonBody(maxBodyBytes: number): Array<RequestHandler | ErrorRequestHandler> {
  const tooLarge: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if ((error as { type?: unknown } | null)?.type !== 'entity.too.large') {
      next(error);
      return;
    }
    const limit = new RequestLimitError('bodyBytes', maxBodyBytes);
    res.status(413).json({ errors: [formatError(limit.toJSON(), limit)] });
  };
  return [express.json({ limit: maxBodyBytes }), tooLarge];
}
