import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs. Secrets are redacted by path; card data never reaches a log because request
 * bodies are never logged and job payloads carry ids only.
 */
export const REDACTED_PATHS = [
  'req.headers["x-api-secret"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.api_secret',
  '*.webhook_secret',
  '*.password',
  '*.card',
  '*.cvv',
  '*.number',
];

export function createLogger(level: string, name: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      name,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { pid: process.pid, service: name },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
