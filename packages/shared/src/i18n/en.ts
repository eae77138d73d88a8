/** English strings. zh-CN.ts must have exactly the same keys (a test checks it). */
export const en = {
  errors: {
    'request.invalid': 'Some fields are not valid: {{fields}}.',
    'request.malformed_json': 'The request body is not valid JSON.',
    'request.too_large': 'The request is too large.',
    'request.unsupported_media_type': 'Send the request body as application/json.',
    'request.rate_limited': 'Too many requests. Try again in {{seconds}} seconds.',
    'request.not_found': 'There is nothing at this address.',
    'auth.unauthenticated': 'Sign in to continue.',
    'auth.invalid_credentials': 'The email or password is not correct.',
    'auth.account_locked':
      'Too many failed sign-in attempts. This account is locked until {{until}}; ask an admin to unlock it sooner.',
    'auth.account_disabled': 'This account is disabled. Ask an admin to enable it.',
    'auth.totp_required': 'Enter the 6-digit code from your authenticator app, or a recovery code.',
    'auth.totp_invalid': 'That 2FA code is not correct or has expired.',
    'auth.totp_not_enrolled': 'Two-factor authentication is not set up for this account.',
    'auth.totp_already_enrolled': 'Two-factor authentication is already set up.',
    'auth.totp_setup_missing': 'Start the 2FA setup first, then enter the code it shows.',
    'auth.two_factor_enrollment_required':
      'Your workspace requires two-factor authentication. Set it up to continue.',
    'auth.forbidden': 'Your role does not allow this.',
    'auth.password_too_weak': 'Choose a password of at least 10 characters.',
    'auth.session_not_found': 'That session does not exist or has already ended.',
    'agent.not_found': 'That agent does not exist.',
    'agent.email_taken': 'An agent with this email already exists.',
    'agent.cannot_change_self': 'You cannot change your own role or disable your own account.',
    'team.not_found': 'That team does not exist.',
    'team.name_taken': 'A team with this name already exists.',
    'service.unavailable': 'Kefu cannot reach its database right now. Try again in a moment.',
    internal: 'Something went wrong on our side. The error was logged (request {{requestId}}).',
  },
  cli: {
    running: 'Kefu {{version}} is running ({{mode}} mode)',
    console: 'Agent console',
    apiDocs: 'API docs',
    helpCenter: 'Help center',
    dataDir: 'Data directory',
    modeEmbedded: 'embedded',
    modeServer: 'server',
  },
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof en>;
