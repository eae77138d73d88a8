import type { Redaction } from './secret-guard.ts';

/**
 * Passwords stated as such: "my password is Hunter2!", "pw: …", "密码是 abc123", "资金密码 …".
 * Only the value after the cue is masked. Most sentences about passwords carry no value
 * ("I forgot my password", "password is wrong", "密码错误"), so a value must look like one.
 */

/** English cues; the short ones ("pw", "pass") only count with an explicit ":" / "=" / "is". */
const EN_CUE =
  /(?<![a-z])(?:(password|passwd|passcode|pass\s+word|pword|login\s+pass)|(pwd|pw|pass))(?![a-z])/giu;
const ZH_CUE = /密码|密碼|口令/gu;

/** "password for my account is", "password of binance:" — a short detour before the value. */
const EN_DETOUR =
  /^\s+(?:for|of|on|to)\s+(?:(?:my|the|this|your|our)\s+)?[\w.@-]+(?=\s*(?:is|was|:|=))/iu;
/** Group 1: a label ("password: …"); group 2: a verb ("password is …"). */
const EN_CONNECTOR =
  /^\s*(?:(:|=|：)|(-|–|\bis(?:\s+now|\s+still|\s+set\s+to)?\b|\bwas\b|\bchanged\s+to\b|\bto\b))?\s*/iu;
/** Chinese connectors all state the value ("密码是…", "密码改成…"): they count as labels. */
const ZH_CONNECTOR =
  /^\s*(?:(是|为|為|:|：|=|就是|应该是|應該是|改成了?|改为|改為|设置为|設置為|设为|設為|设成|設成)|(is|was))?\s*/iu;

/** A value: everything up to whitespace, Chinese text or Chinese punctuation. */
const VALUE = /^['"“‘`]?([^\s\p{Script=Han}，。！？、；：（）【】「」《》“”‘’'"`]+)/u;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}>'"’”]+$/u;
/** "8-20位", "3次", "24小时": numbers about the password, not the password. */
const UNIT_AFTER =
  /^(?:位|次|个|個|天|年|月|日|号|號|小时|小時|分钟|分鐘|秒|遍|元|块|塊|h\b|hrs?\b|hours?\b|times?\b|days?\b|mins?\b|x\b)/iu;

const DURATION =
  /^\d+[\s-]?(?:h|hrs?|hours?|d|days?|mins?|minutes?|weeks?|months?|years?|x|times?)$/iu;

/** Public identifiers that may follow "密码" by accident ("忘了登录密码 TTFJ…"). */
const PUBLIC_VALUE = new RegExp(
  [
    '^(?:0x)?[0-9a-f]{40,}',
    '^(?:bc1|ltc1|tb1)[a-z0-9]{20,}',
    '^[13TLMDr][1-9A-HJ-NP-Za-km-z]{25,34}$',
    '^[A-Z]{2,5}-\\d{4,}',
    '^[1-9A-HJ-NP-Za-km-z]{40,}$',
  ].join('|'),
  'iu',
);

/** Ordinary words that follow "password is …" in complaints, never passwords themselves. */
const NOT_A_PASSWORD: ReadonlySet<string> = new Set(
  `wrong incorrect correct invalid valid not right reset expired expiring changed change forgotten
  forgot lost the my a an same too still and or but for of to is was ok okay fine working work
  required needed weak strong long short case sensitive also being been already definitely
  correctly entered typed saved stored protected blocked locked hacked compromised leaked stolen
  manager recovery field box page rejected accepted it this that there here with when what how why
  in on at by from no yes new old current previous different fine good bad broken fake real true
  false unknown empty blank none null undefined please help again now never always mine yours
  same login account email phone screen link reset-link updated update set`.split(/\s+/),
);

type Connector = 'label' | 'verb' | 'none';

function acceptValue(value: string, connector: Connector, chinese: boolean): boolean {
  const core = value.replace(TRAILING_PUNCTUATION, '');
  if (core.length < 4 || NOT_A_PASSWORD.has(core.toLowerCase())) return false;
  const hasDigit = /\d/.test(core);
  const hasLetter = /\p{L}/u.test(core);
  const hasSymbol = /[^\p{L}\d]/u.test(core);
  if (/^https?:|^www\.|@.+\./iu.test(core)) return false; // URLs and emails are not passwords
  if (/^#\d/u.test(core)) return false; // a ticket number
  if (/^(?:trc|erc|bep|brc|spl)\d+$/iu.test(core)) return false; // a token standard
  if (DURATION.test(core)) return false; // "30-day", "24h"
  // Words run together by punctuation ("real?days") are the sentence, not a password.
  if (/\p{L}[,?;]\p{L}/u.test(core) && !hasDigit) return false;
  // An address, a transaction hash or a case id typed after the cue.
  if (PUBLIC_VALUE.test(core.replace(/^[^\p{L}\d]+/u, ''))) return false;
  if (!hasLetter && hasDigit && !hasSymbol) {
    // "资金密码 123456" is a fund PIN; in English a bare number needs "password is / :".
    return core.length >= 6 && (chinese || connector !== 'none');
  }
  if (hasLetter && !hasDigit && !hasSymbol) {
    // A plain word is a password only when labelled ("password: sunshine", "密码是woaini")
    // or stated with a case mixed inside the word ("password is sunShine"; not "MetaMask").
    if (/\p{Ll}\p{Lu}/u.test(core) && connector !== 'none') return true;
    return connector === 'label';
  }
  if (connector !== 'none') return true;
  // Without "is" / ":" the value must look like a password, not like the next words of the
  // sentence ("密码 Hi,methods", "password reset,then").
  if (core.length < 6 || /[,?;，]/u.test(core)) return false;
  if (/\p{L}\.\p{L}/u.test(core) && !/\d/u.test(core)) return false;
  if (/\d{12,}/u.test(core)) return false; // an order or transaction id
  return hasDigit && hasLetter;
}

function findValue(
  text: string,
  from: number,
  connector: Connector,
  chinese: boolean,
): Redaction | null {
  const match = VALUE.exec(text.slice(from, from + 200));
  const value = match?.[1];
  if (!match || !value) return null;
  const start = from + match[0].length - value.length;
  const end = start + value.length;
  if (UNIT_AFTER.test(text.slice(end, end + 6)) && /^[\d\s~\-–]+$/u.test(value)) return null;
  if (!acceptValue(value, connector, chinese)) return null;
  // Keep trailing sentence punctuation visible, except "!"/"?" that may belong to the password.
  const trimmed = value.replace(/[.,;:)\]}>'"’”]+$/u, '');
  return {
    kind: 'password',
    start,
    end: start + (trimmed.length > 0 ? trimmed.length : value.length),
  };
}

export function findPasswords(text: string): Redaction[] {
  const found: Redaction[] = [];
  for (const match of text.matchAll(EN_CUE)) {
    let at = match.index + match[0].length;
    at += EN_DETOUR.exec(text.slice(at, at + 60))?.[0].length ?? 0;
    const connector = EN_CONNECTOR.exec(text.slice(at, at + 40));
    const kind: Connector = connector?.[1] ? 'label' : connector?.[2] ? 'verb' : 'none';
    // "pw" / "pass" alone are too ambiguous without an explicit connector.
    if (match[2] && kind === 'none') continue;
    const redaction = findValue(text, at + (connector?.[0].length ?? 0), kind, false);
    if (redaction) found.push(redaction);
  }
  for (const match of text.matchAll(ZH_CUE)) {
    const at = match.index + match[0].length;
    const connector = ZH_CONNECTOR.exec(text.slice(at, at + 20));
    const kind: Connector = connector?.[1] ? 'label' : connector?.[2] ? 'verb' : 'none';
    const redaction = findValue(text, at + (connector?.[0].length ?? 0), kind, true);
    if (redaction) found.push(redaction);
  }
  return found;
}
