import cluster, { type Worker } from 'node:cluster';
import net from 'node:net';
import type { Config } from './config.ts';
import type { Logger } from './lib/logger.ts';

/** Primary → worker: a client connection to serve (the socket travels with the message). */
export const HANDOFF_MESSAGE = 'kefu:connection';
/** Worker → primary: the node is built and takes connections. */
export const READY_MESSAGE = 'kefu:ready';

/**
 * The worker that serves a client address: always the same one for an address, so the requests
 * of one Socket.IO session (long-polling, then the WebSocket upgrade) reach the worker that
 * holds it. Behind a reverse proxy every connection comes from the proxy's address and one
 * worker serves them all; there, run one worker per node and let the proxy spread clients.
 */
export function workerIndexFor(address: string | undefined, workers: number): number {
  if (!address || workers <= 1) return 0;
  // FNV-1a over the address text.
  let hash = 0x811c9dc5;
  for (let i = 0; i < address.length; i++) {
    hash ^= address.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % workers;
}

export type RunningPrimary = { url: string; stop: () => Promise<void> };

/**
 * `kefu start` with KEFU_WORKERS above 1 (server mode): this process listens, and hands each
 * connection to one of the worker processes, which are whole Kefu nodes sharing PostgreSQL and
 * Redis like nodes on separate machines. Each worker has its own CPU and file-descriptor
 * allowance; one that dies is started again.
 */
export async function runPrimary(
  config: Config,
  options: { workers: number; logger: Logger; onListening: (url: string) => void },
): Promise<RunningPrimary> {
  const { logger, workers } = options;
  const pool: (Worker | undefined)[] = [];
  const ready = new Set<number>();
  let stopping = false;
  let listening = false;
  let allReady: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    allReady = resolve;
  });
  let failedToStart: (error: Error) => void = () => {};
  const startFailed = new Promise<never>((_, reject) => {
    failedToStart = reject;
  });

  const fork = (index: number) => {
    const worker = cluster.fork({ KEFU_WORKER_INDEX: String(index) });
    pool[index] = worker;
    worker.on('message', (message: unknown) => {
      if (message !== READY_MESSAGE) return;
      ready.add(index);
      logger.info({ worker: index, pid: worker.process.pid }, 'worker ready');
      if (ready.size === workers) allReady();
    });
    worker.on('exit', (code, signal) => {
      ready.delete(index);
      if (pool[index] === worker) pool[index] = undefined;
      if (stopping) return;
      if (ready.size < workers && !listening) {
        failedToStart(new Error(`worker ${index} exited while starting (code ${code})`));
        return;
      }
      logger.error({ worker: index, code, signal }, 'worker exited; starting it again');
      setTimeout(() => {
        if (!stopping) fork(index);
      }, 1000).unref();
    });
  };

  // A connection goes to its address's worker, or to the next ready one while that one restarts.
  const pick = (address: string | undefined): Worker | undefined => {
    const first = workerIndexFor(address, workers);
    for (let i = 0; i < workers; i++) {
      const index = (first + i) % workers;
      const worker = pool[index];
      if (worker && ready.has(index) && worker.isConnected()) return worker;
    }
    return undefined;
  };
  const server = net.createServer({ pauseOnConnect: true }, (socket) => {
    const worker = pick(socket.remoteAddress);
    if (!worker) {
      socket.destroy();
      return;
    }
    worker.send(HANDOFF_MESSAGE, socket, (error: Error | null) => {
      if (error) socket.destroy();
    });
  });

  for (let i = 0; i < workers; i++) fork(i);
  try {
    await Promise.race([started, startFailed]);
  } catch (error) {
    stopping = true;
    for (const worker of pool) worker?.process.kill('SIGKILL');
    throw error;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: config.port, host: config.host }, () => resolve());
  });
  listening = true;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl.replace(`:${config.port}`, `:${port}`);
  options.onListening(url);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      stopping = true;
      server.close();
      await Promise.all(
        pool.map(
          (worker) =>
            worker &&
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              const kill = setTimeout(() => worker.process.kill('SIGKILL'), 15_000);
              worker.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              worker.process.kill('SIGTERM');
            }),
        ),
      );
    })();
    return stopped;
  };
  return { url, stop };
}

/**
 * In a worker: serves the connections the primary hands over on `server` (the node's HTTP
 * server, which does not listen itself), and tells the primary it is ready.
 */
export function serveHandedConnections(server: net.Server): void {
  process.on('message', (message: unknown, handle: unknown) => {
    if (message !== HANDOFF_MESSAGE || !(handle instanceof net.Socket)) return;
    server.emit('connection', handle);
    handle.resume();
  });
  process.send?.(READY_MESSAGE);
}
