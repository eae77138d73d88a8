import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SNIFF_BYTES } from './file-types.ts';

/**
 * Attachment bytes on disk, by a random key and never by the client's name:
 * `<uploadDir>/<2 hex>/<32 hex>`. Incoming files are written to `.incoming/` first and moved in
 * place only once they passed the checks, so a half-received file is never served.
 */

export type ReceivedFile = {
  /** Where the bytes wait until `keepReceived` or `discardReceived`. */
  tempPath: string;
  size: number;
  sha256: string;
  /** The first bytes, for sniffing the type. */
  head: Buffer;
  /** True when the content went over `maxBytes`; reading stopped there. */
  tooLarge: boolean;
};

function resolveKey(uploadDir: string, storageKey: string): string {
  if (!/^[0-9a-f]{2}\/[0-9a-f]{32}$/.test(storageKey)) throw new Error('bad storage key');
  return path.join(uploadDir, storageKey);
}

/**
 * Streams content to a temporary file, hashing and counting as it goes. Never holds more than a
 * chunk and the sniffing head in memory; stops writing once the content is over `maxBytes`.
 */
export async function receiveFile(
  uploadDir: string,
  content: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<ReceivedFile> {
  const incoming = path.join(uploadDir, '.incoming');
  await mkdir(incoming, { recursive: true });
  const tempPath = path.join(incoming, `${randomBytes(16).toString('hex')}.part`);
  const hash = createHash('sha256');
  const headChunks: Buffer[] = [];
  let headSize = 0;
  let size = 0;
  let tooLarge = false;
  try {
    await pipeline(
      content,
      async function* (source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          size += chunk.length;
          if (size > maxBytes) {
            // Read on to the end without keeping anything: a sender's connection can only be
            // answered and reused once its body is consumed (the multipart parser already drops
            // what is past its limit, so this costs no memory).
            tooLarge = true;
            continue;
          }
          hash.update(chunk);
          if (headSize < SNIFF_BYTES) {
            const part = Buffer.from(chunk.subarray(0, SNIFF_BYTES - headSize));
            headChunks.push(part);
            headSize += part.length;
          }
          yield chunk;
        }
      },
      createWriteStream(tempPath, { flags: 'wx', mode: 0o600 }),
    );
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  return { tempPath, size, sha256: hash.digest('hex'), head: Buffer.concat(headChunks), tooLarge };
}

/** Moves a received file to its random key; returns the key to record. */
export async function keepReceived(uploadDir: string, file: ReceivedFile): Promise<string> {
  const name = randomBytes(16).toString('hex');
  const storageKey = `${name.slice(0, 2)}/${name}`;
  const target = resolveKey(uploadDir, storageKey);
  await mkdir(path.dirname(target), { recursive: true });
  await rename(file.tempPath, target);
  return storageKey;
}

export async function discardReceived(file: Pick<ReceivedFile, 'tempPath'>): Promise<void> {
  await rm(file.tempPath, { force: true });
}

export async function removeStored(uploadDir: string, storageKey: string): Promise<void> {
  await rm(resolveKey(uploadDir, storageKey), { force: true });
}

/** Opens a stored file for reading; throws (ENOENT…) before any byte is sent when it is missing. */
export async function openStored(uploadDir: string, storageKey: string): Promise<ReadStream> {
  const handle = await open(resolveKey(uploadDir, storageKey), 'r');
  return handle.createReadStream();
}
