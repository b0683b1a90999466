import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Webhook signatures: the contract's hex HMAC, and Standard Webhooks for base64 `whsec_` secrets. */
export function hexSignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

const STANDARD_SECRET = /^whsec_([A-Za-z0-9+/]{22,}={0,2})$/;

/** The key bytes of a Standard Webhooks secret (`whsec_` + base64), or null for other secrets. */
export function standardSecretKey(secret: string): Buffer | null {
  const match = STANDARD_SECRET.exec(secret);
  if (!match?.[1]) return null;
  const key = Buffer.from(match[1], 'base64');
  return key.length >= 16 ? key : null;
}

/** `v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>` as the Standard Webhooks spec defines it. */
export function standardSignature(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** Constant-time string comparison that does not leak the length of either side. */
export function safeEqual(a: string, b: string): boolean {
  const left = createHmac('sha256', 'compare').update(a).digest();
  const right = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(left, right);
}

export interface DeliveryHeaderInput {
  id: string;
  event: string;
  attempt: number;
  secret: string;
  body: string;
  timestampSeconds: number;
}

/**
 * Headers of one delivery attempt: the contract's X-Webhook-* set, plus the Standard Webhooks headers
 * when the secret is in that form. The id stays the same across retries so receivers can dedupe.
 */
export function deliveryHeaders(input: DeliveryHeaderInput): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'PaymentGateway-Webhooks/1.0',
    'X-Webhook-Signature': hexSignature(input.secret, input.body),
    'X-Webhook-Id': input.id,
    'X-Webhook-Event': input.event,
    'X-Webhook-Timestamp': String(input.timestampSeconds),
    'X-Webhook-Attempt': String(input.attempt),
  };
  const key = standardSecretKey(input.secret);
  if (key) {
    headers['webhook-id'] = input.id;
    headers['webhook-timestamp'] = String(input.timestampSeconds);
    headers['webhook-signature'] = standardSignature(key, input.id, input.timestampSeconds, input.body);
  }
  return headers;
}
