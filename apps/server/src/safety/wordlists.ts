import { wordlist as czech } from '@scure/bip39/wordlists/czech.js';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as french } from '@scure/bip39/wordlists/french.js';
import { wordlist as italian } from '@scure/bip39/wordlists/italian.js';
import { wordlist as japanese } from '@scure/bip39/wordlists/japanese.js';
import { wordlist as korean } from '@scure/bip39/wordlists/korean.js';
import { wordlist as portuguese } from '@scure/bip39/wordlists/portuguese.js';
import { wordlist as simplifiedChinese } from '@scure/bip39/wordlists/simplified-chinese.js';
import { wordlist as spanish } from '@scure/bip39/wordlists/spanish.js';
import { wordlist as traditionalChinese } from '@scure/bip39/wordlists/traditional-chinese.js';

/** Script of a token: decides which wordlists can match it and how tokens connect. */
export type Script = 'latin' | 'han' | 'kana' | 'hangul';

export type SeedLanguage = {
  id: string;
  script: Script;
  words: readonly string[];
};

export const SEED_LANGUAGES: readonly SeedLanguage[] = [
  { id: 'english', script: 'latin', words: english },
  { id: 'simplified-chinese', script: 'han', words: simplifiedChinese },
  { id: 'traditional-chinese', script: 'han', words: traditionalChinese },
  { id: 'japanese', script: 'kana', words: japanese },
  { id: 'korean', script: 'hangul', words: korean },
  { id: 'spanish', script: 'latin', words: spanish },
  { id: 'french', script: 'latin', words: french },
  { id: 'italian', script: 'latin', words: italian },
  { id: 'czech', script: 'latin', words: czech },
  { id: 'portuguese', script: 'latin', words: portuguese },
];

const INDEX_BITS = 11;
const INDEX_MASK = (1 << INDEX_BITS) - 1;

/** Packs (language, word index) into one number so a token's hits are a small number[]. */
const pack = (language: number, index: number): number => (language << INDEX_BITS) | index;
export const hitLanguage = (hit: number): number => hit >>> INDEX_BITS;
export const hitIndex = (hit: number): number => hit & INDEX_MASK;

const stripMarks = (word: string): string => word.normalize('NFKD').replace(/\p{M}/gu, '');

/**
 * Every spelling a customer may type (NFC, NFKD as shipped, and for Latin lists without
 * accents, since people type "abaco" for "ábaco") → the languages and indices it hits.
 */
const WORD_HITS: Map<string, number[]> = (() => {
  const map = new Map<string, number[]>();
  const add = (key: string, hit: number): void => {
    const hits = map.get(key);
    if (!hits) map.set(key, [hit]);
    else if (!hits.includes(hit)) hits.push(hit);
  };
  SEED_LANGUAGES.forEach((language, languageId) => {
    const exact = new Set(language.words.map((word) => word.normalize('NFC')));
    language.words.forEach((word, index) => {
      const hit = pack(languageId, index);
      add(word.normalize('NFC'), hit);
      add(word, hit);
      if (language.script === 'latin') {
        const bare = stripMarks(word);
        // Only when the bare spelling is not itself another word of the same list.
        if (bare !== word.normalize('NFC') && !exact.has(bare)) add(bare, hit);
      }
    });
  });
  return map;
})();

/** Normalises a token the way the lookup keys are normalised. */
export function normalizeWord(token: string): string {
  const lower = token.toLowerCase();
  // Most tokens are ASCII: skip the Unicode normalisation cost for them.
  for (let i = 0; i < lower.length; i++) {
    if (lower.charCodeAt(i) > 0x7f) return lower.normalize('NFC');
  }
  return lower;
}

const HAN_FIRST = 0x3400;
const HAN_LAST = 0x9fff;

/**
 * Han characters are looked up once per character of every Chinese message: a table by
 * code point is several times faster than hashing each one-character string.
 */
const HAN_HITS: ReadonlyArray<readonly number[] | undefined> = (() => {
  // Filled densely (not `new Array(n)`), so V8 keeps it a fast packed array.
  const table = Array.from<readonly number[] | undefined>({ length: HAN_LAST - HAN_FIRST + 1 });
  for (const [key, hits] of WORD_HITS) {
    const code = key.charCodeAt(0);
    if (key.length === 1 && code >= HAN_FIRST && code <= HAN_LAST) table[code - HAN_FIRST] = hits;
  }
  return table;
})();

export function lookupWord(normalized: string): readonly number[] | undefined {
  if (normalized.length === 1) {
    const code = normalized.charCodeAt(0);
    if (code >= HAN_FIRST && code <= HAN_LAST) return HAN_HITS[code - HAN_FIRST];
  }
  return WORD_HITS.get(normalized);
}

type TypoIndex = { bareWords: readonly string[]; prefixes: ReadonlySet<string> };

/** Built on first use only: typo checks run for rare near-seed runs, not every message. */
const typoIndexes = new Map<number, TypoIndex>();

function typoIndex(languageId: number): TypoIndex {
  const cached = typoIndexes.get(languageId);
  if (cached) return cached;
  const bareWords = (SEED_LANGUAGES[languageId]?.words ?? []).map(stripMarks);
  // BIP39 words are unique in their first four letters: a typo past them still names the word.
  const seen = new Set<string>();
  const ambiguous = new Set<string>();
  for (const bare of bareWords) {
    if (bare.length < 4) continue;
    const prefix = bare.slice(0, 4);
    if (seen.has(prefix)) ambiguous.add(prefix);
    seen.add(prefix);
  }
  const prefixes = new Set([...seen].filter((prefix) => !ambiguous.has(prefix)));
  const index = { bareWords, prefixes };
  typoIndexes.set(languageId, index);
  return index;
}

/** Damerau–Levenshtein distance ≤ 1 (one insertion, deletion, substitution or swap). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** A mistyped wordlist word: one edit away, or a unique four-letter prefix of a word. */
export function isNearWord(normalized: string, languageId: number): boolean {
  const language = SEED_LANGUAGES[languageId];
  if (language?.script !== 'latin' || normalized.length < 3) return false;
  const bare = stripMarks(normalized);
  const { bareWords, prefixes } = typoIndex(languageId);
  if (bare.length >= 4 && prefixes.has(bare.slice(0, 4))) return true;
  return bareWords.some((word) => withinOneEdit(bare, word));
}
