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
    'contact.not_found': 'That customer does not exist.',
    'contact.merge_invalid':
      'These customers cannot be merged (same customer, or one was already merged).',
    'conversation.not_found': 'That conversation does not exist.',
    'conversation.merge_invalid':
      'These conversations cannot be merged: they must be different, unmerged, and of the same customer.',
    'conversation.closed': 'This conversation is closed. Start a new one.',
    'inbox.not_found': 'That inbox does not exist.',
    'widget.unknown_site': 'This chat is not set up for this site (unknown site token).',
    'widget.origin_not_allowed': 'This chat may not be embedded on this website.',
    'widget.identity_invalid': 'The customer identity signature is not valid.',
    'article.not_found': 'That article does not exist or is not published.',
    'article.slug_taken': 'An article with this slug already exists in this language.',
    'article.import_invalid': 'Nothing was imported; fix these entries first: {{problems}}',
    'sla.not_found': 'That SLA policy does not exist.',
    'team.invalid_hours': 'The business hours are not valid: {{problems}}',
    'ticket.code_invalid':
      'That code is not correct, has expired or was already used. Check the latest email from us, or ask for a new code.',
    'csat.not_requested': 'This conversation cannot be rated yet.',
    'csat.already_submitted':
      'You already rated this conversation; a rating can only be changed within 24 hours.',
    'webhook.not_found': 'That webhook does not exist.',
    'canned.not_found': 'That canned response does not exist.',
    'canned.shortcut_taken': 'Another canned response already uses this shortcut.',
    'customer.unauthenticated': 'Your chat session has expired. Reload the page to continue.',
    'attachment.not_found': 'That attachment does not exist.',
    'attachment.too_large': 'The file is too large: attachments can be at most {{limit}} MB.',
    'attachment.type_not_allowed': 'This kind of file cannot be attached. Allowed: {{types}}.',
    'service.unavailable': 'Kefu cannot reach its database right now. Try again in a moment.',
    internal: 'Something went wrong on our side. The error was logged (request {{requestId}}).',
  },
  assistant: {
    greeting:
      "Hi! I'm the Demo Exchange assistant. Ask me about deposits, withdrawals, your account, identity verification or fees, or type \"human\" to reach a person.",
    notUnderstood:
      'Sorry, I did not understand. Could you describe it another way? You can also type "human" to talk to a person.',
    handoff: 'I am passing this to a member of our support team. Please stay in this chat: a person will reply here.',
    handoffWithTicket: 'I am passing this to a member of our support team. Your ticket is #{{number}}; a person will reply here.',
    handoffStolen:
      'I am sorry. If funds left your account without your permission, disable your account now (Account › Security › Disable account) and change your email password. I am connecting you with our security team right away.',
    handoffComplaint: 'I am sorry about your experience. I am passing your complaint to a supervisor, who will reply here.',
    relatedArticle: 'More: {{title}} {{url}}',
    needFields: 'To look into it, please send: {{fields}}.',
    field_coin: 'the coin',
    field_network: 'the network you used',
    field_txid: 'the TxID (transaction hash)',
    field_address: 'the receiving address',
    depositConfirming:
      'I found your {{coin}} deposit on {{network}}: {{confirmations}}/{{required}} confirmations. It is credited automatically after {{required}} confirmations.',
    depositCredited: 'This {{coin}} deposit of {{amount}} was credited on {{time}}. Please check your Funding account.',
    depositMissingMemo:
      'This {{coin}} deposit arrived without its memo/tag, so it could not be matched to your account. Submit the recovery form (Assets › Deposit › Recover a deposit); it is processed within 3–7 business days.',
    depositNotFound:
      'I could not find this TxID among Demo Exchange deposits. Please check that it was sent to your Demo Exchange deposit address on the same network.',
    depositStatusOnly: 'I found this transaction: {{confirmations}}/{{required}} confirmations on {{network}}.',
    withdrawalReview:
      'Your {{amount}} {{coin}} withdrawal is in a routine security review (since {{time}}). Most reviews finish within 30 minutes; you will get an email when it is sent.',
    withdrawalFailed: 'Your {{amount}} {{coin}} withdrawal failed: {{reason}}. The funds are back in your account.',
    withdrawalCompleted:
      'This withdrawal was sent on {{time}} (TxID {{txid}}). If your wallet does not show it yet, look the TxID up on a block explorer: it may still be confirming.',
    reason_address_not_whitelisted: 'the address is not on your withdrawal whitelist',
    reason_missing_memo: 'the memo/tag was missing',
    reason_other: 'it was rejected by our checks',
    invalidAddress: 'The address {{address}} does not look like a valid {{coin}} address (wrong format or checksum). Please check it before sending.',
    signInNeeded: 'Please sign in to Demo Exchange and open the chat from your account, so I can see your {{what}}.',
    what_deposits: 'deposits',
    what_withdrawals: 'withdrawals',
    what_account: 'account',
    unlockSent: 'I have sent an unlock link to your registered email address. It is valid for 30 minutes.',
    notLocked: 'Your account is not locked. If you cannot sign in, try resetting your password from the sign-in page.',
    phishing:
      'Only trust the channels listed on our Verify page: {{url}}. Demo Exchange staff never ask for your password, 2FA codes, private keys or seed phrase, and never ask you to pay a fee to unlock or receive funds.',
    ticketStatus: 'You can follow ticket #{{ticket}} on our ticket page: {{url}}',
    helpful: 'Was this helpful?',
  },
  assistantNote: {
    handoff: 'The assistant handed this conversation over',
    intent: 'Intent',
    fields: 'Collected',
    customerSaid: 'The customer said',
    customerAsked: 'The customer asked for a person',
  },
  customer: {
    secretWarning:
      'For your safety we removed what looks like {{kinds}} from your message. Never share your seed phrase, private keys, passwords or 2FA codes with anyone: our support will never ask for them.',
    secretKinds: '{{list}}',
    kind_seed_phrase: 'a seed phrase',
    kind_private_key: 'a private key',
    kind_password: 'a password',
    kind_api_secret: 'an API secret',
    queued: 'You are number {{position}} in the queue. Estimated wait: {{minutes}} min.',
    outsideHours:
      'Our team is offline now. A person will reply from {{time}}; your ticket #{{number}} stays in the queue.',
    assigned: '{{name}} is now helping you.',
    redacted: '[{{kind}} removed]',
    csatRequest:
      'How would you rate the help you received with ticket #{{number}}? Choose from 1 (very poor) to 5 (excellent); you can add a comment.',
  },
  mail: {
    ticketCodeSubject: 'Your code to view ticket #{{number}}',
    ticketCodeText:
      'Hello,\n\nYour one-time code to view ticket #{{number}} is:\n\n    {{code}}\n\nIt expires in {{minutes}} minutes and works once. If you did not ask for it, ignore this email: nobody can see your ticket without the code.\n\nOur staff will never ask you for this code, your password, your 2FA codes or your seed phrase.\n\n{{brand}}',
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
