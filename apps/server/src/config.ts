import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The only place that reads process.env. Each variable is described here; the README's
 * configuration table is written from this list.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'use true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const intIn = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

export const CONFIG_VARIABLES = {
  PORT: { schema: intIn(0, 65535).default(3000), doc: 'HTTP port', secret: false },
  HOST: {
    schema: z.string().min(1).default('0.0.0.0'),
    doc: 'Address to listen on',
    secret: false,
  },
  PUBLIC_URL: {
    schema: url(['http:', 'https:']).optional(),
    doc: 'URL customers and agents use to reach Kefu (default http://localhost:PORT); https turns on secure cookies',
    secret: false,
  },
  DATABASE_URL: {
    schema: url(['postgres:', 'postgresql:']).optional(),
    doc: 'PostgreSQL connection string. Set = server mode; unset = embedded database in KEFU_DATA_DIR',
    secret: true,
  },
  DATABASE_POOL_SIZE: {
    schema: intIn(1, 200).default(10),
    doc: 'Connections per node (server mode)',
    secret: false,
  },
  REDIS_URL: {
    schema: url(['redis:', 'rediss:']).optional(),
    doc: 'Redis for pub/sub and rate limits between nodes (server mode)',
    secret: true,
  },
  KEFU_WORKERS: {
    schema: intIn(1, 64).default(1),
    doc: 'Processes of one node (server mode with REDIS_URL); each client address is served by one of them, so behind a reverse proxy let the proxy spread clients instead',
    secret: false,
  },
  KEFU_DATA_DIR: {
    schema: z.string().min(1).default('./data'),
    doc: 'Embedded database, generated secrets and uploads',
    secret: false,
  },
  KEFU_SECRET_KEY: {
    schema: z
      .string()
      .min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)')
      .optional(),
    doc: 'Key for signatures and for encrypting 2FA secrets. Required in server mode; generated into the data dir in embedded mode',
    secret: true,
  },
  KEFU_SESSION_TTL_HOURS: {
    schema: intIn(1, 24 * 90).default(12),
    doc: 'Agent session lifetime',
    secret: false,
  },
  KEFU_WIDGET_ORIGINS: {
    schema: z.string().default(''),
    doc: 'Comma-separated origins allowed to call the API from a browser (the exchange sites that embed the widget)',
    secret: false,
  },
  KEFU_LOGIN_MAX_ATTEMPTS: {
    schema: intIn(1, 100).default(5),
    doc: 'Failed sign-ins before an agent account is locked',
    secret: false,
  },
  KEFU_LOGIN_LOCK_MINUTES: {
    schema: intIn(1, 24 * 60).default(15),
    doc: 'How long a lockout lasts',
    secret: false,
  },
  KEFU_RATE_LIMIT_LOGIN: {
    schema: intIn(1, 100000).default(20),
    doc: 'Sign-in requests per minute per IP address',
    secret: false,
  },
  KEFU_RATE_LIMIT_PUBLIC: {
    schema: intIn(1, 1000000).default(120),
    doc: 'Requests per minute per IP address on public (customer) endpoints',
    secret: false,
  },
  KEFU_RATE_LIMIT_NEW_CONVERSATIONS: {
    schema: intIn(1, 1000000).default(20),
    doc: 'New website-chat conversations per IP address per 10 minutes (more are refused with 429)',
    secret: false,
  },
  KEFU_UPLOAD_DIR: {
    schema: z.string().min(1).optional(),
    doc: 'Where attachment files are stored (default KEFU_DATA_DIR/uploads); every node needs the same directory',
    secret: false,
  },
  KEFU_UPLOAD_MAX_MB: {
    schema: intIn(1, 1024).default(10),
    doc: 'Largest attachment a customer or agent may upload, in MB',
    secret: false,
  },
  KEFU_TRUST_PROXY: {
    schema: bool.default(false),
    doc: 'Trust X-Forwarded-For from a load balancer',
    secret: false,
  },
  KEFU_DEMO: {
    schema: bool.optional(),
    doc: 'Seed the demo exchange on an empty database (default: true in embedded mode, false in server mode)',
    secret: false,
  },
  SMTP_URL: {
    schema: url(['smtp:', 'smtps:']).optional(),
    doc: 'Outgoing mail server, e.g. smtps://user:password@smtp.example.com:465 (ticket lookup codes, email replies). Unset = mails are only written to the log (development)',
    secret: true,
  },
  MAIL_FROM: {
    schema: z
      .string()
      .trim()
      .min(3)
      .max(300)
      .refine((v) => v.includes('@'), 'must be an address like "Support <support@example.com>"')
      .default('Demo Exchange Support <support@demo-exchange.example>'),
    doc: 'Sender of the mails Kefu sends',
    secret: false,
  },
  KEFU_SMTP_LISTEN_PORT: {
    schema: intIn(0, 65535).optional(),
    doc: 'Port of the built-in SMTP listener that receives customer email for the email channels (unset: no listener; 0: any free port)',
    secret: false,
  },
  KEFU_SMTP_LISTEN_HOST: {
    schema: z.string().min(1).default('0.0.0.0'),
    doc: 'Address the SMTP listener binds to',
    secret: false,
  },
  KEFU_SMTP_MAX_MB: {
    schema: intIn(1, 100).default(25),
    doc: 'Largest email the SMTP listener accepts, in MB (larger mail is refused with 552)',
    secret: false,
  },
  KEFU_IMAP_POLL_SECONDS: {
    schema: intIn(1, 3600).default(60),
    doc: 'How often IMAP mailboxes are checked when IDLE reports nothing, and new IMAP channels are picked up',
    secret: false,
  },
  KEFU_CONNECTOR_URL: {
    schema: url(['http:', 'https:']).optional(),
    doc: "The exchange's API for customer profiles, deposits, withdrawals and unlocks (unset: the demo connector)",
    secret: false,
  },
  KEFU_CONNECTOR_SECRET: {
    schema: z.string().min(16, 'must be at least 16 characters').optional(),
    doc: 'HMAC-SHA256 key that signs requests to KEFU_CONNECTOR_URL',
    secret: true,
  },
  KEFU_LLM_BASE_URL: {
    schema: url(['http:', 'https:']).optional(),
    doc: 'An OpenAI-compatible API (…/v1) for generated answers; unset: the assistant answers from templates and articles',
    secret: false,
  },
  KEFU_LLM_API_KEY: {
    schema: z.string().min(1).optional(),
    doc: 'API key for KEFU_LLM_BASE_URL',
    secret: true,
  },
  KEFU_LLM_MODEL: {
    schema: z.string().min(1).default('gpt-4o-mini'),
    doc: 'Model name for KEFU_LLM_BASE_URL',
    secret: false,
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'Log level',
    secret: false,
  },
} as const;

type Vars = typeof CONFIG_VARIABLES;
type Parsed = { [K in keyof Vars]: z.output<Vars[K]['schema']> };

export type Config = {
  mode: 'embedded' | 'server';
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  redisUrl: string | undefined;
  workers: number;
  dataDir: string;
  secretKey: string;
  sessionTtlHours: number;
  widgetOrigins: string[];
  loginMaxAttempts: number;
  loginLockMinutes: number;
  rateLimitLogin: number;
  rateLimitPublic: number;
  rateLimitNewConversations: number;
  uploadDir: string;
  uploadMaxMb: number;
  trustProxy: boolean;
  demo: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  smtpListen: { port: number; host: string; maxBytes: number } | null;
  imapPollMs: number;
  llm: { baseUrl: string; apiKey: string; model: string } | null;
  connectorUrl: string | undefined;
  connectorSecret: string | undefined;
  logLevel: Parsed['LOG_LEVEL'];
  cookieSecure: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function parseVariables(env: Record<string, string | undefined>): Parsed {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(CONFIG_VARIABLES)) {
    const raw = env[name];
    const value = raw === '' ? undefined : raw;
    const result = spec.schema.safeParse(value);
    if (result.success) out[name] = result.data;
    else
      problems.push(
        `${name} ${result.error.issues.map((i) => i.message).join('; ')}${
          spec.secret || value === undefined ? '' : ` (got "${value}")`
        }`,
      );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as Parsed;
}

/** In embedded mode the secret key is generated once and kept beside the database. */
function embeddedSecretKey(dataDir: string): string {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { secretKey?: string };
    if (stored.secretKey && stored.secretKey.length >= 32) return stored.secretKey;
  }
  mkdirSync(dataDir, { recursive: true });
  const secretKey = randomBytes(32).toString('hex');
  writeFileSync(file, `${JSON.stringify({ secretKey }, null, 2)}\n`, { mode: 0o600 });
  return secretKey;
}

export type LoadConfigOptions = {
  /** When false, nothing is written (config check). */
  createSecrets?: boolean;
};

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  options: LoadConfigOptions = {},
): Config {
  const v = parseVariables(env);
  const mode = v.DATABASE_URL ? 'server' : 'embedded';
  const dataDir = path.resolve(v.KEFU_DATA_DIR);
  let secretKey = v.KEFU_SECRET_KEY;
  if (!secretKey) {
    if (mode === 'server')
      throw new ConfigError([
        'KEFU_SECRET_KEY is required in server mode (DATABASE_URL is set); every node needs the same value, at least 32 characters',
      ]);
    secretKey = options.createSecrets === false ? 'x'.repeat(32) : embeddedSecretKey(dataDir);
  }
  if (v.KEFU_WORKERS > 1 && !(v.DATABASE_URL && v.REDIS_URL))
    throw new ConfigError([
      'KEFU_WORKERS above 1 needs server mode with Redis (DATABASE_URL and REDIS_URL): the embedded database lives in one process, and the workers reach each other through Redis',
    ]);
  const publicUrl = (v.PUBLIC_URL ?? `http://localhost:${v.PORT}`).replace(/\/+$/, '');
  const widgetOrigins = v.KEFU_WIDGET_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const badOrigin = widgetOrigins.find((o) => {
    try {
      return new URL(o).origin !== o;
    } catch {
      return true;
    }
  });
  if (badOrigin)
    throw new ConfigError([
      `KEFU_WIDGET_ORIGINS has "${badOrigin}", which is not an origin like https://www.example.com`,
    ]);
  return {
    mode,
    port: v.PORT,
    host: v.HOST,
    publicUrl,
    databaseUrl: v.DATABASE_URL,
    databasePoolSize: v.DATABASE_POOL_SIZE,
    redisUrl: v.REDIS_URL,
    workers: v.KEFU_WORKERS,
    dataDir,
    secretKey,
    sessionTtlHours: v.KEFU_SESSION_TTL_HOURS,
    widgetOrigins,
    loginMaxAttempts: v.KEFU_LOGIN_MAX_ATTEMPTS,
    loginLockMinutes: v.KEFU_LOGIN_LOCK_MINUTES,
    rateLimitLogin: v.KEFU_RATE_LIMIT_LOGIN,
    rateLimitPublic: v.KEFU_RATE_LIMIT_PUBLIC,
    rateLimitNewConversations: v.KEFU_RATE_LIMIT_NEW_CONVERSATIONS,
    uploadDir: path.resolve(v.KEFU_UPLOAD_DIR ?? path.join(dataDir, 'uploads')),
    uploadMaxMb: v.KEFU_UPLOAD_MAX_MB,
    trustProxy: v.KEFU_TRUST_PROXY,
    demo: v.KEFU_DEMO ?? mode === 'embedded',
    smtpUrl: v.SMTP_URL,
    mailFrom: v.MAIL_FROM,
    smtpListen:
      v.KEFU_SMTP_LISTEN_PORT === undefined
        ? null
        : {
            port: v.KEFU_SMTP_LISTEN_PORT,
            host: v.KEFU_SMTP_LISTEN_HOST,
            maxBytes: v.KEFU_SMTP_MAX_MB * 1024 * 1024,
          },
    imapPollMs: v.KEFU_IMAP_POLL_SECONDS * 1000,
    llm: v.KEFU_LLM_BASE_URL
      ? { baseUrl: v.KEFU_LLM_BASE_URL, apiKey: v.KEFU_LLM_API_KEY ?? '', model: v.KEFU_LLM_MODEL }
      : null,
    connectorUrl: v.KEFU_CONNECTOR_URL,
    connectorSecret: v.KEFU_CONNECTOR_SECRET,
    logLevel: v.LOG_LEVEL,
    cookieSecure: publicUrl.startsWith('https://'),
  };
}
