import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a receiver knows a webhook came from this Kefu: `X-Kefu-Signature: sha256=<hex>` where
 * hex is HMAC-SHA256 of `<X-Kefu-Timestamp>.<raw body>` keyed with the webhook's secret. The
 * timestamp (Unix seconds) is signed too, so a receiver can refuse old, replayed requests.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Checks an `X-Kefu-Signature` header in constant time. With `maxAgeSeconds`, also refuses a
 * timestamp further than that from `now` (replays).
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  header: string | null | undefined,
  options: { maxAgeSeconds?: number; now?: Date } = {},
): boolean {
  if (!header || !/^\d{1,12}$/.test(timestamp)) return false;
  if (options.maxAgeSeconds !== undefined) {
    const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
    if (Math.abs(nowSeconds - Number(timestamp)) > options.maxAgeSeconds) return false;
  }
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
