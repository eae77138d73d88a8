import type { Redis } from 'ioredis';
import { AppError } from './app-error.ts';
import type { Logger } from './logger.ts';

/** A fixed-window counter per address: `take` answers whether one more action fits the window. */
export type IpThrottle = {
  take: (ip: string) => Promise<{ allowed: boolean; retryAfterSeconds: number }>;
};

/**
 * In memory on one node; in Redis when given, so every node counts the same address together.
 * A Redis failure lets the action through (a limit must not take the service down with it).
 */
export function createIpThrottle(options: {
  name: string;
  max: number;
  windowMs: number;
  now: () => Date;
  logger: Logger;
  redis?: Redis;
}): IpThrottle {
  const { max, windowMs, redis } = options;
  const windows = new Map<string, { count: number; resetAt: number }>();
  const retryAfter = (resetAt: number, now: number) =>
    Math.max(1, Math.ceil((resetAt - now) / 1000));
  return {
    take: async (ip) => {
      const now = options.now().getTime();
      if (redis) {
        const key = `kefu-throttle:${options.name}:${ip}`;
        try {
          const count = await redis.incr(key);
          if (count === 1) await redis.pexpire(key, windowMs);
          const ttl = await redis.pttl(key);
          return { allowed: count <= max, retryAfterSeconds: retryAfter(now + ttl, now) };
        } catch (error) {
          options.logger.warn({ err: error, throttle: options.name }, 'throttle: redis failed');
          return { allowed: true, retryAfterSeconds: 0 };
        }
      }
      let window = windows.get(ip);
      if (!window || window.resetAt <= now) {
        // Forget finished windows now and then, so a scan of many addresses cannot grow the map.
        if (windows.size > 10_000)
          for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
        window = { count: 0, resetAt: now + windowMs };
        windows.set(ip, window);
      }
      window.count++;
      return { allowed: window.count <= max, retryAfterSeconds: retryAfter(window.resetAt, now) };
    },
  };
}

/** For InboundMessage.admitNewConversation: refuses with 429 when the address is over its limit. */
export function admitNewConversationFrom(throttle: IpThrottle | undefined, ip: string) {
  return async (): Promise<void> => {
    if (!throttle) return;
    const { allowed, retryAfterSeconds } = await throttle.take(ip);
    if (!allowed)
      throw new AppError('request.rate_limited', { vars: { seconds: retryAfterSeconds } });
  };
}
