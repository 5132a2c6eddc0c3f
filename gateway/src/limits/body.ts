import { BadInputError, formatError } from '@linli/subgraph-kit/errors';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { RequestLimitError } from './errors.js';

/**
 * The JSON body parser of `POST /graphql`, bounded: a larger body is refused while it is
 * read (HTTP 413). A body that is not JSON, or not in an encoding it reads, is refused too
 * (400, 415). Each is answered as GraphQL errors are, so a client reads one shape.
 */
export function boundedJsonBody(maxBodyBytes: number): Array<RequestHandler | ErrorRequestHandler> {
  const refused: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    const type = (error as { type?: unknown } | null)?.type;
    const [status, problem] =
      type === 'entity.too.large'
        ? [413, new RequestLimitError('bodyBytes', maxBodyBytes)]
        : type === 'entity.parse.failed'
          ? [400, new BadInputError('请求体不是有效的 JSON', 'The request body is not valid JSON', { argument: 'body' })]
          : type === 'charset.unsupported' || type === 'encoding.unsupported'
            ? [415, new BadInputError('请求体的编码不受支持', 'The request body is in an unsupported encoding', { argument: 'body' })]
            : [0, null];
    if (!problem) {
      next(error);
      return;
    }
    res.status(status).json({ errors: [formatError(problem.toJSON(), problem)] });
  };
  return [express.json({ limit: maxBodyBytes }), refused];
}
