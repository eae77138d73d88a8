import { hasApiContext } from './api-secret.ts';
import { BASE58_CHAR, decodeBase58Check } from './base58.ts';
import type { Redaction } from './secret-guard.ts';

/**
 * Private keys. Self-verifying formats (WIF, xprv/yprv/zprv/tprv) are masked wherever they
 * appear. A 64-hex string is a transaction hash unless the words around it say it is a key,
 * so raw hex keys need a key cue right before them ("private key: …", "私钥是 …") or after
 * them ("… is my private key").
 */

const B58 = BASE58_CHAR;
const EXTENDED_KEY = new RegExp(`(?<!${B58})[xtyzuvYZUV]prv${B58}{95,115}(?!${B58})`, 'gu');
const WIF_KEY = new RegExp(`(?<!${B58})[5KLc9]${B58}{50,51}(?!${B58})`, 'gu');
/** Key-shaped strings that are only keys when the text says so (hex, Solana-style base58). */
const CUED_KEY = new RegExp(
  [
    '(?<![0-9A-Za-z])(?:',
    '(?:0x)?(?:[0-9a-fA-F]{128}|[0-9a-fA-F]{64})', // raw secp256k1 / ed25519 keys
    `|${B58}{80,90}`, // Solana-style 64-byte keys
    `|${B58}{51,52}`, // WIF with a broken checksum
    ')(?![0-9A-Za-z])',
  ].join(''),
  'gu',
);

/**
 * The last cue before a key-shaped string decides what it is.
 * Group 1: public; group 2: a private key; group 3: a key word that means an API key in an
 * API message; group 4: something public (tx, hash, address, order…).
 */
const PUBLIC_KEY_CUES = 'public[\\s_-]?key|pub[\\s_-]?key|pubkey|公钥|公鑰';
const PRIVATE_KEY_CUES = [
  'private[\\s_-]?key|priv[\\s_-]?key|privkey|privatekey|prv[\\s_-]?key|wallet[\\s_-]?key',
  '私钥|私鑰|私匙|钱包密钥|錢包密鑰',
].join('|');
const KEY_WORD_CUES = 'secret[\\s_-]?key|secretkey|(?<![a-z])key(?![a-z])|密钥|密鑰|秘钥|秘鑰';
const PUBLIC_DATA_CUES = [
  '(?<![a-z])(?:tx|txid|txn|txhash|hash|transaction|deposit|withdrawal|withdraw)(?![a-z])',
  '(?<![a-z])(?:address|addr|block|signature|order|id)(?![a-z])',
  '交易|哈希|签名|簽名|充值|提现|提現|提币|提幣|地址|区块|區塊|订单|訂單',
].join('|');
const CUE = new RegExp(
  `(${PUBLIC_KEY_CUES})|(${PRIVATE_KEY_CUES})|(${KEY_WORD_CUES})|(${PUBLIC_DATA_CUES})`,
  'giu',
);
const CUE_REACH = 48;

/** "… is my private key", "…（这是我的私钥）". */
const KEY_AFTER = new RegExp(
  [
    '^\\s*[,，.。:：)）(（-]?\\s*',
    "(?:(?:is|was|that's|thats|it's|=|这是|這是|是|为|為)\\s*)?",
    '(?:(?:my|the|our|a|我的|我|这个|這個)\\s*)?',
    "(?:(?:wallet|metamask|trust\\s*wallet|钱包|錢包)(?:'s)?\\s*的?\\s*)?",
    '(?:private[\\s_-]?key|privkey|priv[\\s_-]?key|私钥|私鑰)',
  ].join(''),
  'iu',
);

function isValidWif(candidate: string): boolean {
  const payload = decodeBase58Check(candidate);
  if (!payload) return false;
  const version = payload[0];
  if (version !== 0x80 && version !== 0xef) return false;
  return payload.length === 33 || (payload.length === 34 && payload[33] === 0x01);
}

type Cue = 'key' | 'public' | 'none';

function lastCue(context: string, apiMessage: boolean): Cue {
  let cue: Cue = 'none';
  for (const match of context.matchAll(CUE)) {
    if (match[1] || match[4]) cue = 'public';
    else if (match[2]) cue = 'key';
    // "secret key" / "key" / "密钥" name an API credential in an API message.
    else if (match[3] && !apiMessage) cue = 'key';
  }
  return cue;
}

export function findPrivateKeys(text: string): Redaction[] {
  const found: Redaction[] = [];
  const add = (start: number, end: number): void => {
    if (!found.some((r) => r.start < end && start < r.end)) {
      found.push({ kind: 'private_key', start, end });
    }
  };
  for (const match of text.matchAll(EXTENDED_KEY)) add(match.index, match.index + match[0].length);
  for (const match of text.matchAll(WIF_KEY)) {
    if (isValidWif(match[0])) add(match.index, match.index + match[0].length);
  }
  const apiMessage = hasApiContext(text);
  let previousEnd = 0;
  for (const match of text.matchAll(CUED_KEY)) {
    const start = match.index;
    const end = start + match[0].length;
    // A cue only reaches back to the previous key-shaped string, not across it.
    const context = text.slice(Math.max(previousEnd, start - CUE_REACH), start);
    previousEnd = end;
    const cued =
      lastCue(context, apiMessage) === 'key' || KEY_AFTER.test(text.slice(end, end + 60));
    if (cued) add(start, end);
  }
  return found;
}
