import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * One logger shape for every service. Tokens, signed identities and cookies are redacted
 * at the source, so no code path can log them by accident. `destination` defaults to
 * stdout (tests pass a stream to read what was logged).
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = {
    name: service,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-linli-identity"]',
        'req.headers["x-linli-signature"]',
        'headers.authorization',
        'token',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
