/**
 * The API's error codes (docs/api.md). Domain rules throw DomainError with one of them; the API layer owns
 * the single code → HTTP status table (src/api/errors.ts).
 */
export type ErrorCode =
  | 'AUTHENTICATION_ERROR'
  | 'BAD_REQUEST_ERROR'
  | 'INVALID_VPA'
  | 'INVALID_CARD'
  | 'EXPIRED_CARD'
  | 'NOT_FOUND_ERROR'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badRequest = (message: string, field?: string) =>
  new DomainError('BAD_REQUEST_ERROR', message, field);

export const notFound = (what: string) => new DomainError('NOT_FOUND_ERROR', `${what} not found`);
