import { pino, type Logger } from 'pino';

/**
 * One logger shape for every service. Tokens, signed identities and cookies are redacted
 * at the source, so no code path can log them by accident.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
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
  });
}

export type { Logger };
