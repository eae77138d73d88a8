import type { Redaction } from './secret-guard.ts';

/**
 * Exchange API credentials. An API secret stated as such is masked, and so is the API key
 * given with it; a key alone is only an identifier that support may need to see.
 */

/** The message talks about the exchange API: "key" and "secret" then mean API credentials. */
const API_CONTEXT = new RegExp(
  [
    '(?<![a-z])(?:api|apikey|apisecret|api_key|api_secret)(?![a-z])',
    'access[\\s_-]?key',
    'api(?=[\\s_-]?(?:key|secret|密钥|密鑰))',
  ].join('|'),
  'iu',
);

export function hasApiContext(text: string): boolean {
  return API_CONTEXT.test(text);
}

const SECRET_KEY = /secret[\s_-]?key/iu;

/** Group 1: a secret cue; group 2: a key cue ("key" alone only counts in an API message). */
const SECRET_CUES = [
  'api[\\s_-]?secret(?:[\\s_-]?key)?',
  'apisecret',
  'secret[\\s_-]?key',
  'secretkey',
  'secret',
  'passphrase',
  'api[\\s_-]?(?:密钥|密鑰)',
  '密钥|密鑰|秘钥|秘鑰',
];
const KEY_CUES = [
  'api[\\s_-]?key',
  'apikey',
  'access[\\s_-]?key(?:[\\s_-]?id)?',
  'accesskey',
  '(?<!(?:private|priv|public|pub|wallet|prv)[\\s_-]?)key', // not "private key"
];
const API_CUE = new RegExp(
  `(?<![a-z])(?:(${SECRET_CUES.join('|')})|(${KEY_CUES.join('|')}))(?![a-z])`,
  'giu',
);
/** Words that may stand between a cue and its value: "secret: …", "key is …", "密钥是 …". */
const CONNECTOR =
  /^[\s:：=,，'"“‘`(（-]*(?:(?:is|was|are|是|为|為|分别是|分別是|如下)(?![a-z])[\s:：=,，'"“‘`(（-]*)?/iu;
const VALUE = /^[A-Za-z0-9+/=_-]{16,}(?![A-Za-z0-9+/=_-])/u;
/** Unlabelled credentials listed after the cues ("Key 和 Secret 分别是 A / B"). */
const LOOSE_VALUE = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/=_-]{20,}(?![A-Za-z0-9+/=_-])/gu;
const LOOSE_REACH = 120;

/** Random credentials mix digits and letters, or both letter cases. */
function looksRandom(value: string): boolean {
  const digits = /\d/.test(value);
  const letters = /[A-Za-z]/.test(value);
  return (digits && letters) || (/[a-z]/.test(value) && /[A-Z]/.test(value));
}

/** Public identifiers that must survive even inside an API message. */
function looksPublic(value: string): boolean {
  return (
    /^(?:0x)?[0-9a-fA-F]{64}$/.test(value) ||
    /^0x[0-9a-fA-F]{40}$/.test(value) ||
    /^(?:bc1|tb1|ltc1)[a-z0-9]{20,}$/i.test(value) ||
    /^[13TrLMD][1-9A-HJ-NP-Za-km-z]{24,34}$/.test(value)
  );
}

export function findApiSecrets(text: string): Redaction[] {
  const apiMessage = hasApiContext(text);
  // Without "API" in the message only "secret key: …" still names a credential, and a 64-hex
  // value after it is left to the private-key check.
  if (!apiMessage && !SECRET_KEY.test(text)) return [];
  const secrets: Redaction[] = [];
  const keys: Redaction[] = [];
  const cueEnds: number[] = [];
  for (const match of text.matchAll(API_CUE)) {
    if (!apiMessage && !(match[1] && SECRET_KEY.test(match[1]))) continue;
    const cueEnd = match.index + match[0].length;
    cueEnds.push(cueEnd);
    const rest = text.slice(cueEnd, cueEnd + 200);
    const connector = CONNECTOR.exec(rest)?.[0] ?? '';
    const value = VALUE.exec(rest.slice(connector.length))?.[0];
    if (!value || !looksRandom(value)) continue;
    if (!apiMessage && /^(?:0x)?[0-9a-fA-F]{64}$/.test(value)) continue;
    const start = cueEnd + connector.length;
    (match[1] ? secrets : keys).push({ kind: 'api_secret', start, end: start + value.length });
  }
  if (secrets.length === 0) return [];
  const found = [...secrets, ...keys];
  const taken = (start: number): boolean => found.some((r) => r.start <= start && start < r.end);
  for (const match of text.matchAll(LOOSE_VALUE)) {
    const value = match[0];
    const start = match.index;
    const nearCue = cueEnds.some((end) => end <= start && start - end <= LOOSE_REACH);
    if (nearCue && !taken(start) && looksRandom(value) && !looksPublic(value)) {
      found.push({ kind: 'api_secret', start, end: start + value.length });
    }
  }
  return found;
}
