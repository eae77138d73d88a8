import { sha256 } from './base58.ts';
import type { Redaction } from './secret-guard.ts';
import * as wordlists from './wordlists.ts';
import { isNearWord, type Script, SEED_LANGUAGES } from './wordlists.ts';

// Bound once: these run per character of every message, and a transpiled ESM import is a
// property getter on each call.
const { hitIndex, hitLanguage, lookupWord, normalizeWord } = wordlists;

/**
 * Seed-phrase detection over all BIP39 wordlists.
 *
 * The text is cut into tokens (a Latin/kana/hangul word, or one Han character) and the gaps
 * between them. For each wordlist, runs of list words joined by separator gaps (spaces,
 * commas, newlines, numbering) are candidates:
 * - any 12/15/18/21/24 consecutive list words with a valid BIP39 checksum are a seed;
 * - a run of ≥ 12 list words (up to two typos inside) that is not prose is a seed too,
 *   because customers mistype and a mistyped seed must still be masked.
 * Han characters written without separators are ordinary Chinese far more often than a seed
 * (the Chinese lists hold the 2048 most common characters), so they need a checksum plus a
 * non-prose character profile, or an explicit "助记词 / seed" introduction.
 */

type Gap = 'adjacent' | 'space' | 'separator' | 'break';

type Token = {
  start: number;
  end: number;
  word: string;
  script: Script;
  /** How this token is joined to the previous one. */
  gap: Gap;
  /** Followed by ":" or "=": a label ("seed:", "password:"), never a seed word. */
  label: boolean;
  hits: readonly number[] | undefined;
};

type Member = { pos: number; index: number };

/** `verified`: the span is exactly a checksum-valid phrase. */
type Span = { start: number; end: number; verified: boolean };

const SEED_LENGTHS: ReadonlySet<number> = new Set([12, 15, 18, 21, 24]);
const LENGTHS_DESCENDING = [24, 21, 18, 15, 12] as const;
const MIN_WORDS = 12;
const MAX_TYPOS = 2;

const TOKEN = /(\p{Script=Han})|(?:(?!\p{Script=Han})[\p{L}\p{M}])+/gu;
/** Separators people put between seed words: spaces, punctuation, numbering ("1.", "#2", "3)"). */
const SEPARATOR_GAP = /^[\s,，、;；.。:：()（）[\]【】#\-–—_|/*•·'"“”‘’\d]{1,16}$/u;
const LABEL_AFTER = /^\s?[:：=]/u;
const SPACE_GAP = /^[^\S\n]{1,4}$/u;

/** Common English words; a long run of list words that is full of them is a sentence. */
const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also always am an and any are around as at be because
  been before behind being below between both but by can come could day did do does doing done
  during each even every few for from get give had has have he help her here him his how i if im
  in into is it its just know like make may me more most much must my myself need never next no
  not now of off on once one only or other our out over own please same say she should since so
  some still such take tell than thank thanks that the their them then there these they this
  those through time to today too two under until up us very want was we were what when where
  which while who why will with would yes yet you your account deposit order coin money hi hello
  ok okay pls plz thx dont didnt cant wont isnt im ive id`.split(/\s+/),
);

/** Words that start another secret ("… password Xyz"): never a typo inside a seed. */
const CUE_WORDS: ReadonlySet<string> = new Set(
  'password passwd pwd pword passcode privkey apikey api secret email mail'.split(' '),
);

/** List words that often stand right before or after a pasted phrase. */
const EDGE_WORDS: ReadonlySet<string> = new Set(
  'seed phrase word words recovery backup wallet key secret mnemonic private here below above'.split(
    ' ',
  ),
);

/** Chinese words and particles that mark a sentence rather than random characters. */
const HAN_PROSE_MARKERS: readonly string[] =
  `是不是 不是 能不能 可不可以 可以 已经 已經 还是 還是 因为 因為
  所以 但是 如果 为什么 為什麼 怎么 怎麼 什么 什麼 没有 沒有 不能 一直 我的 你们 你們 我们 我們
  他们 他們 账户 帳戶 账号 帳號 提现 提現 充值 钱包 錢包 被盗 被盜 泄露 洩露 帮我 幫我 帮忙 幫忙
  请问 請問 谢谢 謝謝 的话 的話 这个 這個 那个 那個 现在 現在 时候 時候 还没 還沒 不到 找回 如何 是否
  一下 看看 问题 問題 知道 告诉 告訴 客服 助记 助記 登录 登錄 登入 丢了 丟了 忘了 忘记 忘記 不见
  不見 怎样 怎樣 需要 应该 應該 为了 為了 这样 這樣 那样 那樣 的时 的時 了吗 了嗎 多久 还能 還能
  能否 安全 恢复 恢復 导入 導入 备份 備份 写在 寫在 保存 会不会 會不會 不会 不會 要不要 有没有
  有沒有 自动 自動 他们 他們 别人 別人 提供 发给 發給 给你 給你 给我 給我 说要 說要 让我 讓我
  验证 驗證 邮箱 郵箱 失败 失敗 注册 註冊 手续 手續 审核 審核 到账 到帳 收不 换了 換了 是负
  交易 订单 訂單 余额 餘額 资金 資金 手机 手機 电话 電話 认证 認證 身份 实名 實名 转账 轉帳 转到
  轉到 冻结 凍結 解冻 解凍 人工 工单 工單 处理 處理 回复 回覆 网络 網絡 地址 充币 充幣 提币 提幣
  进度 進度 信用 扣款 买币 買幣 卖币 賣幣 币种 幣種 客户 客戶 平台 时间 時間 小时 小時`
    .split(/\s+/)
    .filter((marker) => marker.length > 0);
/** Sentence-final particles: a run ending in one is a sentence, not a seed. */
const FINAL_PARTICLES: ReadonlySet<string> = new Set([...'吗嗎呢吧啊了']);

/** Words that introduce a seed phrase: a Chinese seed without separators needs one of them. */
const SEED_CUE = new RegExp(
  [
    '助记词|助記詞|助记字|助記字|种子词|種子詞|种子短语|種子短語',
    '恢复短语|恢復短語|恢复词|恢復詞|备份短语|備份短語|钱包短语|錢包短語',
    '(?<![a-z])(?:seed(?:\\s*phrase|\\s*words?)?|mnemonic(?:\\s*phrase)?',
    'recovery\\s*(?:phrase|words?)|secret\\s*(?:recovery\\s*)?phrase',
    'backup\\s*phrase|wallet\\s*phrase)(?![a-z])',
  ].join('|'),
  'giu',
);
/** Punctuation and numbering between a cue and its phrase ("助记词：1. …"). */
const CUE_MARKS = /^[\s:：=,，\-—.)）#\d]*/u;
/**
 * A word that states the phrase ("助记词是…", "seed is …"). It may just as well be the
 * phrase's first character ("是" and "为" are list characters), so both readings are tried.
 */
const CUE_WORD =
  /^(?:是|为|為|如下|就是|分别是|分別是|(?:is|are|was)(?![a-z]))[\s:：=,，\-—.)）#\d]*/iu;
/** "1. ", "1)", "1:", "#1 ", "(1)" right before the first word of a phrase. */
const FIRST_NUMBER = /(?:#\s?|[(（])?0?1\s?[.)）:：、-]?\s*$/u;
/** A cue this close before a run lets a run with non-matching typos count as a seed. */
const CUE_REACH = 60;

/** Of the Chinese lists' indices (ordered by frequency), those below this are very common. */
const COMMON_HAN_RANK = 500;

function scriptOf(char: number): Script {
  if (char >= 0x3040 && char <= 0x30ff) return 'kana';
  if ((char >= 0xac00 && char <= 0xd7af) || (char >= 0x1100 && char <= 0x11ff)) return 'hangul';
  if (char >= 0x3130 && char <= 0x318f) return 'hangul';
  return 'latin';
}

function classifyGap(gap: string): Gap {
  if (gap.length === 0) return 'adjacent';
  if (SPACE_GAP.test(gap)) return 'space';
  if (SEPARATOR_GAP.test(gap)) return 'separator';
  return 'break';
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let previousEnd = -1;
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index;
    const raw = match[0];
    const end = start + raw.length;
    const isHan = match[1] !== undefined;
    const word = isHan ? raw : normalizeWord(raw);
    let gap: Gap = 'break';
    if (previousEnd === start) gap = 'adjacent';
    else if (previousEnd >= 0) gap = classifyGap(text.slice(previousEnd, start));
    tokens.push({
      start,
      end,
      word,
      script: isHan ? 'han' : scriptOf(raw.charCodeAt(0)),
      gap,
      label: LABEL_AFTER.test(text.slice(end, end + 4)),
      hits: lookupWord(word),
    });
    previousEnd = end;
  }
  return tokens;
}

/** BIP39 checksum: the first n/3 bits of SHA-256(entropy) close the 11-bit word stream. */
export function hasValidChecksum(indices: readonly number[]): boolean {
  const count = indices.length;
  if (!SEED_LENGTHS.has(count)) return false;
  const entropyBytes = (count * 4) / 3;
  const bytes = new Uint8Array(entropyBytes + 1);
  let carry = 0;
  let bits = 0;
  let pos = 0;
  for (const index of indices) {
    carry = (carry << 11) | index;
    bits += 11;
    while (bits >= 8) {
      bits -= 8;
      bytes[pos++] = (carry >>> bits) & 0xff;
    }
    carry &= (1 << bits) - 1;
  }
  if (bits > 0) bytes[pos] = (carry << (8 - bits)) & 0xff;
  const checksumBits = count / 3;
  const expected = (sha256(bytes.subarray(0, entropyBytes))[0] ?? 0) >> (8 - checksumBits);
  return (bytes[entropyBytes] ?? 0) >> (8 - checksumBits) === expected;
}

/** Every checksum-valid window of consecutive exact list words (rare: only in long runs). */
function checksumSpans(members: readonly Member[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let segmentStart = 0;
  for (let i = 0; i <= members.length; i++) {
    if (i < members.length && (members[i]?.index ?? -1) >= 0) continue;
    const segment = members.slice(segmentStart, i).map((m) => m.index);
    for (const length of LENGTHS_DESCENDING) {
      for (let offset = 0; offset + length <= segment.length; offset++) {
        if (hasValidChecksum(segment.slice(offset, offset + length))) {
          spans.push([segmentStart + offset, segmentStart + offset + length - 1]);
        }
      }
    }
    segmentStart = i + 1;
  }
  return spans;
}

/** Random Chinese seeds use the whole list; sentences are dominated by its first few hundred. */
function looksLikeHanProse(indices: readonly number[]): boolean {
  const common = indices.filter((index) => index < COMMON_HAN_RANK).length;
  return indices.length > 0 && common * 3 >= indices.length * 2;
}

/**
 * Signs that Han characters are a sentence: each prose word in them, a frequency profile of
 * ordinary text, a sentence-final particle. A random phrase rarely shows even one.
 */
function hanProseSigns(indices: readonly number[], chars: string): number {
  const markers = HAN_PROSE_MARKERS.filter((marker) => chars.includes(marker)).length;
  const particle = FINAL_PARTICLES.has(chars.at(-1) ?? '') ? 1 : 0;
  return markers + particle + (looksLikeHanProse(indices) ? 1 : 0);
}

class SeedScanner {
  private readonly spans: Span[] = [];
  private readonly tokens: Token[];
  private readonly text: string;
  /** Per token, its index in the wordlist being scanned (-1: not a word of that list). */
  private index: Int16Array = new Int16Array(0);
  /**
   * Seed cues: the cue word's span, where the phrase may start after it (with or without a
   * connecting word), and whether ":" / "是" / "is" stated it rather than a bare space.
   */
  private readonly cues: Array<{
    start: number;
    end: number;
    anchors: number[];
    stated: boolean;
  }>;

  constructor(text: string) {
    this.text = text;
    this.tokens = tokenize(text);
    this.cues = [];
    for (const match of text.matchAll(SEED_CUE)) {
      const end = match.index + match[0].length;
      const after = text.slice(end, end + 40);
      const marks = CUE_MARKS.exec(after)?.[0] ?? '';
      const word = CUE_WORD.exec(after.slice(marks.length))?.[0] ?? '';
      const anchors = [end + marks.length];
      if (word) anchors.push(end + marks.length + word.length);
      this.cues.push({
        start: match.index,
        end,
        anchors,
        stated: word.length > 0 || /[:：=]/u.test(marks),
      });
    }
  }

  scan(): Span[] {
    const counts = new Array<number>(SEED_LANGUAGES.length).fill(0);
    // Han characters standing alone between separators ("的 一 是", "1.的 2.一"); ordinary
    // Chinese has almost none, which spares it the per-character chain pass.
    let isolatedHan = 0;
    this.tokens.forEach((token, pos) => {
      if (token.hits) {
        for (const hit of token.hits) {
          const language = hitLanguage(hit);
          counts[language] = (counts[language] ?? 0) + 1;
        }
      }
      const next = this.tokens[pos + 1];
      if (token.script === 'han' && token.gap !== 'adjacent' && next?.gap !== 'adjacent') {
        isolatedHan++;
      }
    });
    counts.forEach((count, languageId) => {
      // A seed needs at least 10 exact words (12 with two typos): skip lists barely hit.
      if (count < MIN_WORDS - MAX_TYPOS) return;
      this.index = new Int16Array(this.tokens.length).fill(-1);
      for (let pos = 0; pos < this.tokens.length; pos++) {
        const hits = this.tokens[pos]?.hits;
        if (!hits) continue;
        for (const hit of hits) {
          if (hitLanguage(hit) === languageId) this.index[pos] = hitIndex(hit);
        }
      }
      const script = SEED_LANGUAGES[languageId]?.script;
      if (script === 'han') {
        if (isolatedHan >= MIN_WORDS - MAX_TYPOS) this.scanChains(languageId, 'han');
        this.scanHanRuns();
      } else if (script) {
        this.scanChains(languageId, script);
      }
    });
    // A checksum-valid phrase in one list can look like a mistyped phrase in a sibling list
    // (simplified vs traditional Chinese share 1275 characters): the verified span wins.
    const verified = this.spans.filter((span) => span.verified);
    return this.spans.filter(
      (span) => span.verified || !verified.some((v) => v.start < span.end && span.start < v.end),
    );
  }

  private indexAt(pos: number): number {
    return this.index[pos] ?? -1;
  }

  private isTypoCandidate(token: Token, script: Script): boolean {
    if (token.script !== script) return false;
    if (script !== 'latin') return true;
    return token.word.length >= 3 && !FUNCTION_WORDS.has(token.word) && !CUE_WORDS.has(token.word);
  }

  /** Runs of list words joined by separators (spaces, commas, newlines, numbering). */
  private scanChains(languageId: number, script: Script): void {
    let members: Member[] = [];
    const flush = (): void => {
      while (members.length > 0 && (members.at(-1)?.index ?? -1) < 0) members.pop();
      if (members.length >= MIN_WORDS - MAX_TYPOS) this.evaluateChain(members, languageId, script);
      members = [];
    };
    for (let pos = 0; pos < this.tokens.length; pos++) {
      const token = this.tokens[pos];
      if (!token) continue;
      if (members.length > 0 && token.gap !== 'space' && token.gap !== 'separator') flush();
      if (token.label) {
        flush();
        continue;
      }
      const index = this.indexAt(pos);
      if (index >= 0) {
        members.push({ pos, index });
        continue;
      }
      const previousIsWord = (members.at(-1)?.index ?? -1) >= 0;
      if (members.length === 0 || !previousIsWord || !this.isTypoCandidate(token, script)) {
        flush();
        continue;
      }
      members.push({ pos, index });
      const typos = members.filter((m) => m.index < 0);
      if (typos.length > MAX_TYPOS) {
        // Too many typos for one run: close what came before, restart after the first typo.
        const before = members.slice(0, -1);
        while (before.length > 0 && (before.at(-1)?.index ?? -1) < 0) before.pop();
        if (before.length >= MIN_WORDS - MAX_TYPOS) {
          this.evaluateChain(before, languageId, script);
        }
        const firstTypo = members.findIndex((m) => m.index < 0);
        members = members.slice(firstTypo + 1);
      }
    }
    flush();
  }

  private evaluateChain(members: readonly Member[], languageId: number, script: Script): void {
    const typos = members.filter((m) => m.index < 0);
    const exact = members.length - typos.length;
    const first = this.tokens[members[0]?.pos ?? -1];
    const cued = first !== undefined && this.hasCueBefore(first.start);
    const typosLookMistyped = typos.every((m) =>
      isNearWord(this.tokens[m.pos]?.word ?? '', languageId),
    );
    // ≥ 12 list words; or 12 words with up to two near-misses of list words; or, after
    // "seed:" / "助记词", ≥ 10 list words: a phrase missing a word or two is still a secret.
    const enoughWords =
      (members.length >= MIN_WORDS &&
        (exact >= MIN_WORDS || (exact >= MIN_WORDS - MAX_TYPOS && typosLookMistyped))) ||
      (cued && exact >= MIN_WORDS - MAX_TYPOS);
    // The usual paste is exactly a phrase: one checksum instead of one for every window.
    const whole = typos.length === 0 && hasValidChecksum(members.map((m) => m.index));
    const valid: Array<[number, number]> = whole
      ? [[0, members.length - 1]]
      : checksumSpans(members);
    if (enoughWords && !(script === 'latin' && this.looksLikeProse(members))) {
      // Checksum-valid phrases plus a few surrounding words that are clearly not seed words
      // ("…if that helps: 1. …", "钱包备份 1. …"): mask the phrases alone. Anything else
      // left over may be part of a mistyped seed (a chance-valid window proves nothing then):
      // mask the whole run.
      const from = Math.min(...valid.map(([a]) => a));
      const to = Math.max(...valid.map(([, b]) => b));
      const leftover = members.filter((_, i) => i < from || i > to);
      if (valid.length > 0 && leftover.every((m) => this.isEdgeNoise(m, script))) {
        this.addTokenSpan(members[from]?.pos, members[to]?.pos, true);
      } else {
        this.addTokenSpan(members[0]?.pos, members.at(-1)?.pos, false);
      }
      return;
    }
    for (const [from, to] of valid) {
      this.addTokenSpan(members[from]?.pos, members[to]?.pos, true);
    }
  }

  /** A run member next to a seed that is evidently not one of its words. */
  private isEdgeNoise(member: Member, script: Script): boolean {
    const token = this.tokens[member.pos];
    if (!token || member.index < 0 || this.isInsideCue(member)) return true;
    // Otherwise only Latin words can tell: a Han character next to a seed may be its first
    // one ("助记词是邵, 割, …"), however it is glued.
    return script === 'latin' && (FUNCTION_WORDS.has(token.word) || EDGE_WORDS.has(token.word));
  }

  /** Part of a seed cue ("seed phrase", the 词 of "助记词"). */
  private isInsideCue(member: Member): boolean {
    const token = this.tokens[member.pos];
    return (
      token !== undefined && this.cues.some((c) => c.start <= token.start && token.start < c.end)
    );
  }

  private looksLikeProse(members: readonly Member[]): boolean {
    const common = members.filter((m) => FUNCTION_WORDS.has(this.tokens[m.pos]?.word ?? ''));
    return common.length * 4 > members.length;
  }

  private hasCueBefore(position: number): boolean {
    return this.cues.some(({ end }) => end <= position && position - end <= CUE_REACH);
  }

  /**
   * Han characters written without separators: a seed when the whole run has a valid
   * checksum and does not read like Chinese, or when a seed cue introduces it.
   */
  private scanHanRuns(): void {
    // Runs split at spaces, then runs joined across spaces ("的一是在 不了有和 …", or a seed
    // with a space-separated word before or after it): a seed is whole in one of the two.
    for (const joinSpaces of [false, true]) {
      let run: Member[] = [];
      const flush = (): void => {
        if (SEED_LENGTHS.has(run.length)) {
          const joined = run.slice(1).some((m) => this.tokens[m.pos]?.gap === 'adjacent');
          const indices = run.map((m) => m.index);
          const chars = run.map((m) => this.tokens[m.pos]?.word ?? '').join('');
          if (joined && hanProseSigns(indices, chars) === 0 && hasValidChecksum(indices)) {
            this.addTokenSpan(run[0]?.pos, run.at(-1)?.pos, true);
          }
        }
        run = [];
      };
      for (let pos = 0; pos < this.tokens.length; pos++) {
        const token = this.tokens[pos];
        if (!token) continue;
        const index = token.script === 'han' ? this.indexAt(pos) : -1;
        const joins = token.gap === 'adjacent' || (joinSpaces && token.gap === 'space');
        if (run.length > 0 && (index < 0 || !joins)) flush();
        if (index >= 0) run.push({ pos, index });
      }
      flush();
    }
    for (const cue of this.cues) {
      for (const anchor of cue.anchors) this.scanCuedHan(anchor, cue.stated);
    }
  }

  private scanCuedHan(cueEnd: number, stated: boolean): void {
    const startPos = this.tokens.findIndex((token) => token.start === cueEnd);
    if (startPos < 0) return;
    for (const allowSpaces of [false, true]) {
      const run: Member[] = [];
      for (let pos = startPos; pos < this.tokens.length; pos++) {
        const token = this.tokens[pos];
        if (token?.script !== 'han') break;
        if (pos > startPos && token.gap !== 'adjacent' && !(allowSpaces && token.gap === 'space')) {
          break;
        }
        const index = this.indexAt(pos);
        if (index < 0) break;
        run.push({ pos, index });
      }
      const chars = run.map((m) => this.tokens[m.pos]?.word ?? '');
      for (const length of LENGTHS_DESCENDING) {
        if (run.length < length) continue;
        const window = run.slice(0, length);
        const indices = window.map((m) => m.index);
        // Stated ("助记词是…") and checksum-valid: only clear prose (two signs) vetoes it, so a
        // random phrase that happens to contain "一直" is still masked. After a bare mention
        // ("让我提供助记词 …") any sign of prose does.
        const signs = hanProseSigns(indices, chars.slice(0, length).join(''));
        if (signs < (stated ? 2 : 1) && hasValidChecksum(indices)) {
          this.addTokenSpan(window[0]?.pos, window.at(-1)?.pos, true);
          return;
        }
      }
      // A mistyped seed right after "助记词：": 12–24 list characters and no prose word or
      // final particle (the frequency profile is not asked: "的一是在…" is a valid phrase too).
      const all = chars.join('');
      const proseWords = hanProseSigns([], all);
      if (stated && run.length >= MIN_WORDS && run.length <= 24 && proseWords === 0) {
        this.addTokenSpan(run[0]?.pos, run.at(-1)?.pos, false);
        return;
      }
    }
  }

  private addTokenSpan(
    firstPos: number | undefined,
    lastPos: number | undefined,
    verified: boolean,
  ): void {
    const first = firstPos === undefined ? undefined : this.tokens[firstPos];
    const last = lastPos === undefined ? undefined : this.tokens[lastPos];
    if (!first || !last) return;
    this.spans.push({ start: this.withNumbering(first.start), end: last.end, verified });
  }

  /** Takes a leading "1." / "1)" / "#1" into the mask so the placeholder reads cleanly. */
  private withNumbering(start: number): number {
    const before = this.text.slice(Math.max(0, start - 8), start);
    const match = FIRST_NUMBER.exec(before);
    if (!match) return start;
    const from = start - (before.length - match.index);
    // "21 word" is not numbering that starts at 1.
    return /[A-Za-z0-9]/.test(this.text[from - 1] ?? '') ? start : from;
  }
}

export function findSeedPhrases(text: string): Redaction[] {
  return new SeedScanner(text)
    .scan()
    .map(({ start, end }) => ({ kind: 'seed_phrase', start, end }));
}
