import { createHmac, timingSafeEqual } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { AppError } from '../lib/app-error.ts';

const AUDIENCE = 'kefu-customer';
const ISSUER = 'kefu';
const TTL_SECONDS = 30 * 24 * 3600;

export type CustomerClaims = {
  contactId: string;
  inboxId: string;
  verified: boolean;
  /** Set on a ticket-lookup token: it was given for this one conversation. */
  conversationId?: string;
};

function key(secretKey: string): Uint8Array {
  return createHmac('sha256', secretKey).update('customer-token').digest();
}

/** A customer's token: its own audience and key purpose, so an agent credential never passes as one. */
export async function issueCustomerToken(
  secretKey: string,
  claims: CustomerClaims,
  now: Date,
  options: { ttlSeconds?: number } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now.getTime() / 1000);
  const ttl = options.ttlSeconds ?? TTL_SECONDS;
  const token = await new SignJWT({
    inbox: claims.inboxId,
    verified: claims.verified,
    ...(claims.conversationId ? { conv: claims.conversationId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.contactId)
    .setAudience(AUDIENCE)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .sign(key(secretKey));
  return { token, expiresAt: new Date((iat + ttl) * 1000) };
}

export async function verifyCustomerToken(
  secretKey: string,
  token: string,
  now: Date,
): Promise<CustomerClaims> {
  try {
    const { payload } = await jwtVerify(token, key(secretKey), {
      audience: AUDIENCE,
      issuer: ISSUER,
      algorithms: ['HS256'],
      currentDate: now,
    });
    if (typeof payload.sub !== 'string' || typeof payload.inbox !== 'string')
      throw new Error('claims');
    return {
      contactId: payload.sub,
      inboxId: payload.inbox,
      verified: payload.verified === true,
      ...(typeof payload.conv === 'string' ? { conversationId: payload.conv } : {}),
    };
  } catch {
    throw new AppError('customer.unauthenticated');
  }
}

/** The exchange's server signs the customer's UID with the inbox's identity secret; we check it. */
export function verifyIdentitySignature(
  identitySecret: string,
  exchangeUid: string,
  signature: string,
): boolean {
  const expected = createHmac('sha256', identitySecret).update(exchangeUid).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
