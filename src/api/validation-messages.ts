import type { FastifySchemaValidationError } from 'fastify';

type SchemaErrorDataVar = 'body' | 'headers' | 'params' | 'querystring';

/** Turns the first schema violation into one readable sentence naming the field. */
export function describeValidationError(
  errors: FastifySchemaValidationError[],
  context: SchemaErrorDataVar | undefined,
): { description: string; field?: string } {
  const error = errors[0];
  if (!error) return { description: 'Invalid request' };
  const params = error.params as Record<string, unknown>;
  const path = error.instancePath.split('/').filter(Boolean).join('.');
  const whole = context === 'body' ? 'body' : (context ?? 'request');
  const field = path || undefined;
  const name = path || whole;
  const child = (key: unknown) => (path ? `${path}.${String(key)}` : String(key));
  switch (error.keyword) {
    case 'required':
      return {
        description: `${child(params.missingProperty)} is required`,
        field: child(params.missingProperty),
      };
    case 'additionalProperties':
      return {
        description: `${child(params.additionalProperty)} is not a recognised field`,
        field: child(params.additionalProperty),
      };
    case 'type': {
      const type = String(params.type).split(',')[0] ?? 'value';
      const article = /^[aeiou]/.test(type) ? 'an' : 'a';
      return { description: `${name} must be ${article} ${type}`, field };
    }
    case 'minimum':
      return { description: `${name} must be at least ${String(params.limit)}`, field };
    case 'maximum':
      return { description: `${name} must be at most ${String(params.limit)}`, field };
    case 'minLength':
      return { description: `${name} must be at least ${String(params.limit)} characters`, field };
    case 'maxLength':
      return { description: `${name} must be at most ${String(params.limit)} characters`, field };
    case 'enum':
      return {
        description: `${name} must be one of ${(params.allowedValues as unknown[]).join(', ')}`,
        field,
      };
    case 'maxProperties':
      return { description: `${name} has too many keys`, field };
    default:
      return { description: `${name} is invalid`, field };
  }
}
