import cluster from 'node:cluster';
import { ZCreateAgent } from '@kefu/shared';
import { translate } from '@kefu/shared/i18n';
import { Command, Option } from 'commander';
import { runAsk } from './assistant/ask.ts';
import { createAgent } from './auth/agents.ts';
import { runPrimary } from './cluster.ts';
import { CONFIG_VARIABLES, type Config, ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { DEMO_LOGINS, seedDemo } from './demo/seed-demo.ts';
import { systemActor } from './deps.ts';
import { findArticles } from './knowledge/articles.ts';
import { readArticleFolder, writeArticleFolder } from './knowledge/folder.ts';
import { KnowledgeIndex } from './knowledge/search-index.ts';
import { importArticles } from './knowledge/transfer.ts';
import { AppError } from './lib/app-error.ts';
import { systemClock } from './lib/clock.ts';
import { createLogger } from './lib/logger.ts';
import { databaseFor, prepareDatabase, printRunning, startKefu } from './server.ts';
import { VERSION } from './version.ts';

const EXIT_CONFIG = 78;

function fail(message: string, code = 1): never {
  process.stderr.write(`kefu: ${message}\n`);
  process.exit(code);
}

function config(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, EXIT_CONFIG);
    throw error;
  }
}

async function withDatabase<T>(
  fn: (deps: Parameters<typeof seedDemo>[0]) => Promise<T>,
): Promise<T> {
  const cfg = config();
  const database = await databaseFor(cfg);
  try {
    await database.migrate();
    return await fn({
      db: database.db,
      logger: createLogger(cfg.logLevel),
      clock: systemClock,
      config: cfg,
      // No realtime or job worker in a one-off command: what it enqueues runs at the next start.
      publish: () => {},
      kickJobs: () => {},
      kb: new KnowledgeIndex(),
    });
  } finally {
    await database.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const program = new Command()
  .name('kefu')
  .description('Kefu (客服): self-hosted customer service for crypto exchanges')
  .version(VERSION)
  .showHelpAfterError();

program
  .command('start')
  .description(
    'Apply migrations, seed the demo on an empty embedded database, and serve the API, console and widget',
  )
  .action(async () => {
    const cfg = config();
    const print = (line: string) => process.stdout.write(`${line}\n`);
    if (cfg.workers > 1 && cluster.isPrimary) {
      // This process listens and hands connections to KEFU_WORKERS worker processes.
      const logger = createLogger(cfg.logLevel);
      await prepareDatabase(cfg, logger);
      const primary = await runPrimary(cfg, {
        workers: cfg.workers,
        logger,
        onListening: (url) => printRunning(cfg, url, print),
      });
      const shutdown = async (signal: string) => {
        logger.info({ signal }, 'shutting down');
        await primary.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      return;
    }
    const running = await startKefu(cfg, cluster.isWorker ? { handoff: true } : { print });
    const shutdown = async (signal: string) => {
      running.deps.logger.info({ signal }, 'shutting down');
      await running.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    // A worker whose primary is gone stops too.
    if (cluster.isWorker) process.once('disconnect', () => void shutdown('primary gone'));
  });

program
  .command('migrate')
  .description('Apply pending database migrations and exit')
  .action(async () => {
    await withDatabase(async () => undefined);
    process.stdout.write('migrations applied\n');
  });

program
  .command('seed')
  .description('Seed data into an empty database')
  .addOption(new Option('--demo', 'the Demo Exchange: agents, teams').makeOptionMandatory())
  .action(async () => {
    const seeded = await withDatabase((deps) => seedDemo(deps));
    if (!seeded) fail('the database already has agents; the demo is seeded only into an empty one');
    for (const login of DEMO_LOGINS)
      process.stdout.write(`demo login: ${login.role} ${login.email} ${login.password}\n`);
  });

const admin = program.command('admin').description('Administration from the command line');
admin
  .command('create')
  .description('Create an admin agent')
  .requiredOption('--email <email>', 'sign-in email')
  .option('--name <name>', 'display name', 'Admin')
  .option('--password-stdin', 'read the password from standard input')
  .action(async (options: { email: string; name: string; passwordStdin?: boolean }) => {
    let password: string;
    if (options.passwordStdin) password = await readStdin();
    else {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      password = await rl.question('Password (at least 10 characters): ');
      rl.close();
    }
    const parsed = ZCreateAgent.safeParse({
      email: options.email,
      name: options.name,
      password,
      role: 'admin',
      languages: ['zh-CN', 'en'],
    });
    if (!parsed.success)
      fail(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const agent = await withDatabase((deps) => createAgent(deps, systemActor, parsed.data));
    process.stdout.write(`admin created: ${agent.email} (${agent.id})\n`);
  });

program
  .command('ask')
  .description(
    'Ask the assistant from the command line (no server, no network, demo knowledge base)',
  )
  .option(
    '--jsonl',
    'read {"id","text","lang"?} JSON lines on stdin, write one answer line per input',
    true,
  )
  .action(async () => {
    const cfg = loadConfig(process.env, { createSecrets: false });
    await runAsk(process.stdin, process.stdout, cfg.publicUrl);
  });

const kb = program
  .command('kb')
  .description('Knowledge base: import and export a folder of Markdown articles');
kb.command('export')
  .description('Write every article to <dir>/<locale>/<slug>.md with front matter')
  .requiredOption('--dir <dir>', 'target folder')
  .action(async (options: { dir: string }) => {
    const count = await withDatabase(async (deps) =>
      writeArticleFolder(options.dir, await findArticles(deps.db, {})),
    );
    process.stdout.write(`exported ${count} articles to ${options.dir}\n`);
  });
kb.command('import')
  .description('Create or update articles from <dir>/<locale>/<slug>.md files (all or nothing)')
  .requiredOption('--dir <dir>', 'source folder')
  .option('--publish', 'publish articles whose front matter has no status')
  .action(async (options: { dir: string; publish?: boolean }) => {
    const result = await withDatabase((deps) =>
      importArticles(
        deps,
        systemActor,
        readArticleFolder(options.dir, options.publish ? { status: 'published' } : {}),
      ),
    );
    process.stdout.write(`imported: ${result.created} created, ${result.updated} updated\n`);
  });

const configCommand = program.command('config').description('Configuration');
configCommand
  .command('check')
  .description('Validate the configuration from the environment and print it (secrets hidden)')
  .action(() => {
    let cfg: Config;
    try {
      cfg = loadConfig(process.env, { createSecrets: false });
    } catch (error) {
      if (error instanceof ConfigError) fail(error.message, EXIT_CONFIG);
      throw error;
    }
    process.stdout.write(`configuration is valid (${cfg.mode} mode)\n`);
    for (const [name, spec] of Object.entries(CONFIG_VARIABLES)) {
      const value = process.env[name];
      const shown =
        value === undefined || value === '' ? '(default)' : spec.secret ? '(set, hidden)' : value;
      process.stdout.write(`  ${name.padEnd(26)} ${shown}\n`);
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof DataDirLockedError) fail(error.message);
  if (error instanceof ConfigError) fail(error.message, EXIT_CONFIG);
  if (error instanceof AppError)
    fail(`${error.code}: ${translate('en', `errors.${error.code}`, error.vars)}`);
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    fail(`the port is already in use (${(error as Error).message}); set PORT to another one`);
  }
  throw error;
}
