import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'kefu' },
    // Secrets must never reach logs even if a caller logs a request by mistake.
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'password',
        '*.password',
        'newPassword',
        'currentPassword',
        'totpCode',
        'recoveryCode',
        'secret',
      ],
      censor: '[redacted]',
    },
  });
}
