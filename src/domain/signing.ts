import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Webhook signatures: the documented hex HMAC, and Standard Webhooks for base64 `whsec_` secrets. */
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
  /** The delivery's id: the same on every attempt, so receivers can dedupe. */
  id: string;
  eventId: string | null;
  event: string;
  attempt: number;
  /** Valid secrets, newest first; more than one during a rotation's overlap. */
  secrets: readonly string[];
  body: string;
  timestampSeconds: number;
}

/**
 * Headers of one delivery attempt: the X-Webhook-* set, signed with the newest secret, plus the
 * Standard Webhooks headers with one `v1,` signature per valid secret in that form (space-separated,
 * as the spec allows), so a receiver on either side of a rotation verifies it.
 */
export function deliveryHeaders(input: DeliveryHeaderInput): Record<string, string> {
  const [newest = ''] = input.secrets;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'PaymentGateway-Webhooks/1.0',
    'X-Webhook-Signature': hexSignature(newest, input.body),
    'X-Webhook-Id': input.id,
    'X-Webhook-Event': input.event,
    'X-Webhook-Timestamp': String(input.timestampSeconds),
    'X-Webhook-Attempt': String(input.attempt),
  };
  if (input.eventId) headers['X-Event-Id'] = input.eventId;
  const keys = input.secrets.map(standardSecretKey).filter((key): key is Buffer => key !== null);
  if (keys.length > 0) {
    headers['webhook-id'] = input.id;
    headers['webhook-timestamp'] = String(input.timestampSeconds);
    headers['webhook-signature'] = keys
      .map((key) => standardSignature(key, input.id, input.timestampSeconds, input.body))
      .join(' ');
  }
  return headers;
}

/**
 * The secret `gateway listen` signs forwarded events with: derived from a gateway-wide key and the
 * merchant, so it is the same on every call, every API process and every restart, and printing it
 * reveals nothing about any endpoint's secret.
 */
export function listenSecretFor(key: string, merchantId: string): string {
  const mac = createHmac('sha256', key).update(`listen:${merchantId}`).digest();
  return `whsec_${mac.subarray(0, 24).toString('base64')}`;
}

/**
 * A UUID that is a function of `name` (the layout of a version 5 UUID, over SHA-256), so an event
 * forwarded twice carries the same delivery id and receivers dedupe it as they would a redelivery.
 */
export function uuidFor(name: string): string {
  const bytes = createHmac('sha256', 'delivery-id').update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
