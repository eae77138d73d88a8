import { ZErrorResponse } from '@kefu/shared';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Every route documents the error format. */
export const errorResponses = { '4xx': ZErrorResponse, '5xx': ZErrorResponse } as const;

/**
 * A limit per customer rather than per address (customers behind one office NAT or mobile
 * carrier share an address): keyed on the customer token, on the address without one.
 */
export function perCustomerLimit(max: number, timeWindow = '10 minutes') {
  return {
    max,
    timeWindow,
    keyGenerator: (request: { headers: { authorization?: string }; ip: string }) =>
      request.headers.authorization ?? request.ip,
  };
}
