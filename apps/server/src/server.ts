import { translate } from '@kefu/shared/i18n';
import { Redis } from 'ioredis';
import { getIntentClassifier } from './assistant/intent-classifier.ts';
import { serveHandedConnections } from './cluster.ts';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/client.ts';
import { DEMO_LOGINS, isDemoSeeded, seedDemo } from './demo/seed-demo.ts';
import type { Deps } from './deps.ts';
import type { App } from './http/types.ts';
import { KnowledgeIndex } from './knowledge/search-index.ts';
import { systemClock } from './lib/clock.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { createKefuNode } from './node.ts';
import { VERSION } from './version.ts';

export function databaseFor(config: Config): Promise<Database> {
  return config.databaseUrl
    ? openDatabase({ kind: 'postgres', url: config.databaseUrl, poolSize: config.databasePoolSize })
    : openDatabase({ kind: 'pglite', dataDir: config.dataDir });
}

export type RunningKefu = {
  app: App;
  database: Database;
  deps: Deps;
  url: string;
  stop: () => Promise<void>;
};

/** The lines `kefu start` prints once Kefu answers. */
export function printRunning(config: Config, url: string, print: (line: string) => void): void {
  const mode =
    config.mode === 'embedded'
      ? translate('en', 'cli.modeEmbedded')
      : translate('en', 'cli.modeServer');
  print(translate('en', 'cli.running', { version: VERSION, mode }));
  print(`  ${translate('en', 'cli.console')}:  ${url}/`);
  print(`  ${translate('en', 'cli.apiDocs')}:       ${url}/api/docs`);
  if (config.mode === 'embedded') print(`  ${translate('en', 'cli.dataDir')}: ${config.dataDir}`);
}

/** Applies the migrations and, when configured, seeds the demo into an empty database. */
async function migrateAndSeed(database: Database, config: Config, logger: Logger): Promise<Deps> {
  await database.migrate();
  const seedDeps: Deps = {
    db: database.db,
    logger,
    clock: systemClock,
    config,
    publish: () => {},
    kickJobs: () => {},
    kb: new KnowledgeIndex(),
  };
  if (config.demo) {
    const seeded = await seedDemo(seedDeps);
    if (seeded) logger.info('demo data seeded');
  }
  return seedDeps;
}

/** What the primary of a node with workers does once, before it starts them. */
export async function prepareDatabase(config: Config, logger: Logger): Promise<void> {
  const database = await databaseFor(config);
  try {
    await migrateAndSeed(database, config, logger);
  } finally {
    await database.close();
  }
}

/** Opens the database, migrates, seeds the demo on an empty embedded one, and serves. */
export async function startKefu(
  config: Config,
  options: {
    logger?: Logger;
    print?: (line: string) => void;
    /** A worker of `kefu start` with KEFU_WORKERS: serves connections the primary hands over. */
    handoff?: boolean;
  } = {},
): Promise<RunningKefu> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const database = await databaseFor(config);
  let redis: Redis | undefined;
  try {
    const seedDeps = await migrateAndSeed(database, config, logger);
    if (config.redisUrl)
      redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
    const node = await createKefuNode({
      config,
      database,
      logger,
      clock: systemClock,
      ...(redis ? { redis } : {}),
    });
    const { app, deps } = node;
    let url = config.publicUrl;
    if (options.handoff) {
      await app.ready();
      serveHandedConnections(app.server);
    } else {
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      url = config.publicUrl.replace(`:${config.port}`, `:${port}`);
      printRunning(config, url, print);
    }
    if (config.mode === 'embedded' && (await isDemoSeeded(seedDeps))) {
      for (const login of DEMO_LOGINS)
        print(`demo login: ${login.role} ${login.email} ${login.password}`);
    }
    // Train the assistant's model now that the node answers, not before.
    setImmediate(() => getIntentClassifier());
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        await node.close();
        redis?.disconnect();
        await database.close();
      })();
      return stopping;
    };
    return { app, database, deps, url, stop };
  } catch (error) {
    redis?.disconnect();
    await database.close().catch(() => {});
    throw error;
  }
}
