import { entropyToMnemonic, validateMnemonic } from '@scure/bip39';
import { wordlist as czech } from '@scure/bip39/wordlists/czech.js';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as french } from '@scure/bip39/wordlists/french.js';
import { wordlist as italian } from '@scure/bip39/wordlists/italian.js';
import { wordlist as japanese } from '@scure/bip39/wordlists/japanese.js';
import { wordlist as korean } from '@scure/bip39/wordlists/korean.js';
import { wordlist as portuguese } from '@scure/bip39/wordlists/portuguese.js';
import { wordlist as simplified } from '@scure/bip39/wordlists/simplified-chinese.js';
import { wordlist as spanish } from '@scure/bip39/wordlists/spanish.js';
import { wordlist as traditional } from '@scure/bip39/wordlists/traditional-chinese.js';
import { describe, expect, it } from 'vitest';
import { decodeBase58Check, encodeBase58Check } from './base58.ts';
import { guardSecrets, maskText, type SecretKind } from './secret-guard.ts';
import { hasValidChecksum } from './seed-phrase.ts';

/** Deterministic bytes (xorshift32) so every run tests the same phrases. */
function prng(seed: number): () => number {
  let x = (seed * 2654435761) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function entropy(seed: number, bytes: number): Uint8Array {
  const next = prng(seed);
  return Uint8Array.from({ length: bytes }, () => next() & 0xff);
}

/** A checksum-valid mnemonic as an array of words. */
function mnemonic(list: string[], seed: number, bits: 128 | 256 = 128): string[] {
  return entropyToMnemonic(entropy(seed, bits / 8), list).split(/[ \u3000]/);
}

const numbered = (words: string[], style: (n: number) => string): string =>
  words.map((word, i) => `${style(i + 1)}${word}`).join(' ');

/** Seed words that must be gone from the masked text (those not already in the template). */
function seedSecrets(words: string[], template: string): string[] {
  return words.filter((word) => !template.includes(word));
}

const hex = (seed: number, length = 64): string => {
  const next = prng(seed);
  return Array.from({ length }, () => (next() % 16).toString(16)).join('');
};

// Keys: the well-known uncompressed WIF, its compressed form, and BIP32 test-vector 1's
// master key in the xprv/yprv/zprv/tprv encodings (all checksum-valid, checked below).
const WIF_UNCOMPRESSED = '5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ';
const WIF_COMPRESSED = 'KwdMAjGmerYanjeui5SHS7JkmpZvVipYvB2LJGU1ZxJwYvP98617';
const XPRV =
  'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi';
const ZPRV =
  'zprvAWgYBBk7JR8GjzqSzmunMCS7dAbwpYTCs1YUMDXqduMA5JFHZ3iX5s2UkAR6vBdcCYYa1S5o1fVLrKsrnpCQ4WpUd6aVUWP1bS2Yy5DoaKv';
const TPRV =
  'tprv8ZgxMBicQKsPeDgjzdC36fs6bMjGApWDNLR9erAXMs5skhMv36j9MV5ecvfavji5khqjWaWSFhN3YcCUUdiKH6isR4Pwy3U5y5egddBr16m';
/** As quoted in our brief: one character short of the test vector, so its checksum fails. */
const XPRV_MISTYPED =
  'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LoF7JPsTh88dL8BjCu8ZXMvrnk6kDs7Mq';

// Public data that must survive.
const TX_A = `0x${hex(11)}`;
const TX_B = hex(12);
const TX_C = hex(13).toUpperCase();
const ETH_ADDRESS = '0x52908400098527886E0F7030069857D2E4169EE7';
const BTC_BECH32 = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const BTC_LEGACY = '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2';
const TRON_ADDRESS = 'TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7';
const XRP_ADDRESS = 'rEb8TK3gBgk5auZkwc6sHnwrGVJH8DuaLh';
const SOL_ADDRESS = '7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV';
const LTC_ADDRESS = 'ltc1qg82tgsfdcldthq3zsvw7zsrvcwlaz5wx5scr8e';
const DOGE_ADDRESS = 'DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L';
const SOL_SIGNATURE =
  '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW';

const EN_12 = mnemonic(english, 1);
const EN_12_B = mnemonic(english, 2);
const EN_12_C = mnemonic(english, 3);
const EN_24 = mnemonic(english, 4, 256);
const EN_24_B = mnemonic(english, 5, 256);
const ZH_12 = mnemonic(simplified, 6);
const ZH_12_B = mnemonic(simplified, 7);
const ZH_24 = mnemonic(simplified, 8, 256);
const TW_12 = mnemonic(traditional, 9);
const JA_12 = mnemonic(japanese, 10);
const KO_12 = mnemonic(korean, 11);
const ES_12 = mnemonic(spanish, 12);
const FR_12 = mnemonic(french, 13);
const IT_12 = mnemonic(italian, 14);
const CS_12 = mnemonic(czech, 15);
const PT_12 = mnemonic(portuguese, 16);
const ZH_UNSPACED = mnemonic(simplified, 1);

/** A mistyped seed: a letter dropped from one word, another word swapped for a list word. */
const EN_TYPO = [...mnemonic(english, 17)];
EN_TYPO[4] = (EN_TYPO[4] ?? '').slice(0, -1);
EN_TYPO[9] = EN_TYPO[9] === 'zoo' ? 'abandon' : 'zoo';
/** Twelve list words whose checksum fails (last word replaced). */
const EN_BAD_CHECKSUM = [...EN_12_C.slice(0, 11), EN_12_C[11] === 'zoo' ? 'zebra' : 'zoo'];
/** A Chinese seed with one character typed from outside the list. */
const ZH_TYPO = [...mnemonic(simplified, 18)];
ZH_TYPO[3] = '鑫';

/** The unspaced seed above with its last character swapped for another list character. */
const ZH_MISTYPED = [...ZH_UNSPACED.slice(0, 11), ZH_UNSPACED[11] === '农' ? '林' : '农'];

type Case = {
  name: string;
  text: string;
  kinds: SecretKind[];
  keep?: string[];
  secrets?: string[];
  /** The exact masked text, where the extent of the mask matters. */
  masked?: string;
};

const seedCase = (name: string, template: string, words: string[], formatted: string): Case => {
  const text = template.replace('{seed}', formatted);
  return { name, text, kinds: ['seed_phrase'], secrets: seedSecrets(words, template) };
};

const cases: Case[] = [
  // ── seed phrases ───────────────────────────────────────────────────────────────────────
  seedCase(
    'en 12 inline after "seed:"',
    'hi support, seed: {seed} — can you restore my wallet?',
    EN_12,
    EN_12.join(' '),
  ),
  seedCase(
    'en 24 numbered "1. word"',
    'My Trust Wallet shows 0 balance. Here are the words:\n{seed}\nplease hurry',
    EN_24,
    numbered(EN_24, (n) => `${n}. `),
  ),
  seedCase(
    'en 12 numbered "1) word" with newlines',
    'recovery words from my notebook:\n{seed}',
    EN_12_B,
    EN_12_B.map((w, i) => `${i + 1}) ${w}`).join('\n'),
  ),
  seedCase(
    'en 12 comma separated',
    'I typed these into the app and it says invalid: {seed}. what now?',
    EN_12_C,
    EN_12_C.join(', '),
  ),
  seedCase(
    'en 12 newline separated',
    'phrase\n{seed}\nthat is everything I wrote down',
    EN_12,
    EN_12.join('\n'),
  ),
  seedCase(
    'en 12 "1:word"',
    'backup -> {seed}',
    EN_12_B,
    numbered(EN_12_B, (n) => `${n}:`),
  ),
  seedCase(
    'en 12 "#1 word"',
    'my words {seed} thanks',
    EN_12_C,
    numbered(EN_12_C, (n) => `#${n} `),
  ),
  seedCase(
    'en 24 capitalised, inline in a sentence',
    'Deposit of 0.5 ETH missing so I am sending my MetaMask words {seed} to prove ownership',
    EN_24_B,
    EN_24_B.map((w) => w[0]?.toUpperCase() + w.slice(1)).join(' '),
  ),
  seedCase(
    'en 12 mistyped (typo + wrong word, bad checksum)',
    'wallet words (maybe I wrote one wrong): {seed}',
    EN_TYPO,
    EN_TYPO.join(' '),
  ),
  seedCase(
    'en 12 list words with a failing checksum',
    'Is this phrase valid? {seed}',
    EN_BAD_CHECKSUM,
    EN_BAD_CHECKSUM.join(' '),
  ),
  seedCase(
    'en seed inside a Chinese sentence',
    '我的助记词是 {seed} 你们帮我导入一下看看余额',
    EN_12,
    EN_12.join(' '),
  ),
  {
    ...seedCase(
      'en seed followed by a tx hash',
      `seed {seed} and my tx is ${TX_A}`,
      EN_12_B,
      EN_12_B.join(' '),
    ),
    keep: [TX_A],
  },
  seedCase(
    'zh 12 space separated',
    '我的钱包打不开了，助记词是 {seed} ，能帮我找回资产吗',
    ZH_12,
    ZH_12.join(' '),
  ),
  seedCase('zh 24 comma separated', '助记词：{seed}', ZH_24, ZH_24.join('，')),
  seedCase(
    'zh 12 numbered',
    '这是我抄在纸上的：{seed} 请帮我恢复',
    ZH_12_B,
    numbered(ZH_12_B, (n) => `${n}.`),
  ),
  seedCase(
    'zh 12 without spaces, introduced as 助记词',
    '提币一直不到账，我的助记词是{seed}，麻烦查一下',
    ZH_12_B,
    ZH_12_B.join(''),
  ),
  seedCase(
    'zh 12 without spaces or cue (checksum valid)',
    '钱包导不进去 {seed} 怎么办',
    ZH_UNSPACED,
    ZH_UNSPACED.join(''),
  ),
  seedCase(
    'zh list characters from the top of the list, spaced',
    '钱包的助记词 {seed}',
    [...'的一是在不了有和人这中大'],
    [...'的一是在不了有和人这中大'].join(' '),
  ),
  seedCase(
    'zh 24 list characters without spaces, introduced (checksum not valid)',
    '助记词是{seed}',
    [...'的一是在不了有和人这中大为上个国我以要他时来用们'],
    '的一是在不了有和人这中大为上个国我以要他时来用们',
  ),
  {
    ...seedCase(
      'zh spaced after 我的助记词: the cue stays readable',
      '我的助记词 {seed}',
      ZH_12,
      ZH_12.join(' '),
    ),
    masked: '我的助记词 [REDACTED:seed_phrase]',
  },
  seedCase(
    'zh 12 spaced with one non-list character (typo)',
    '助记词 {seed}',
    ZH_TYPO.filter((c) => c !== '鑫'),
    ZH_TYPO.join(' '),
  ),
  seedCase(
    'en 11 words after a cue (one word forgotten)',
    'my recovery phrase is {seed}, I think one word is missing',
    EN_12.slice(0, 11),
    EN_12.slice(0, 11).join(' '),
  ),
  seedCase(
    'en the well-known test mnemonic',
    'found this in a tutorial, is it mine? {seed}',
    [...Array<string>(11).fill('abandon'), 'about'],
    [...Array<string>(11).fill('abandon'), 'about'].join(' '),
  ),
  seedCase('en 24 separated by " - "', 'words: {seed}', EN_24, EN_24.join(' - ')),
  seedCase(
    'zh 12 without spaces after 助记词：, mistyped (bad checksum)',
    '助记词：{seed}',
    ZH_MISTYPED,
    ZH_MISTYPED.join(''),
  ),
  seedCase('zh-TW 12 space separated', '我的錢包助記詞：{seed}，請幫忙', TW_12, TW_12.join(' ')),
  seedCase(
    'ja 12 ideographic spaces',
    'ウォレットの復元フレーズです {seed}',
    JA_12,
    JA_12.join('\u3000'),
  ),
  seedCase('ko 12', '지갑 복구 문구: {seed} 도와주세요', KO_12, KO_12.join(' ')),
  seedCase('es 12 (accents as shipped)', 'mi frase semilla es {seed}', ES_12, ES_12.join(' ')),
  seedCase(
    'fr 12 typed without accents',
    'voici ma phrase: {seed}',
    FR_12,
    FR_12.map((w) => w.normalize('NFKD').replace(/\p{M}/gu, '')).join(' '),
  ),
  seedCase('it 12', 'frase di recupero {seed}', IT_12, IT_12.join(' ')),
  seedCase('cs 12', 'obnovovací fráze {seed}', CS_12, CS_12.join(' ')),
  seedCase('pt 12', 'frase de recuperação {seed}', PT_12, PT_12.join(' ')),

  // ── private keys ───────────────────────────────────────────────────────────────────────
  {
    name: 'hex key with "private key:"',
    text: `private key: 0x${hex(21)} — can you import it and move my USDT?`,
    kinds: ['private_key'],
    secrets: [hex(21)],
  },
  {
    name: 'hex key with 私钥是',
    text: `我的私钥是${hex(22)}，能不能帮我把币转出来`,
    kinds: ['private_key'],
    secrets: [hex(22)],
  },
  {
    name: 'hex key with 私鑰 (traditional)',
    text: `錢包私鑰 0x${hex(23)} 給你們，幫我查一下為什麼充值沒到`,
    kinds: ['private_key'],
    secrets: [hex(23)],
  },
  {
    name: 'hex key named after it',
    text: `${hex(24)} is my private key, the wallet is empty now`,
    kinds: ['private_key'],
    secrets: [hex(24)],
  },
  {
    name: 'hex key with 密钥 (no API in the message)',
    text: `钱包密钥 ${hex(25)} 导入后显示余额为零`,
    kinds: ['private_key'],
    secrets: [hex(25)],
  },
  {
    name: 'key and tx hash in one message: only the key goes',
    text: `privkey ${hex(26)} is for the sending wallet; my deposit ${TX_A} never arrived`,
    kinds: ['private_key'],
    keep: [TX_A],
    secrets: [hex(26)],
  },
  {
    name: 'WIF uncompressed, no context',
    text: `paper wallet says ${WIF_UNCOMPRESSED} can you sweep it`,
    kinds: ['private_key'],
    secrets: [WIF_UNCOMPRESSED],
  },
  {
    name: 'WIF compressed next to an address',
    text: `BTC sent to ${BTC_LEGACY} from my wallet, WIF ${WIF_COMPRESSED}`,
    kinds: ['private_key'],
    keep: [BTC_LEGACY],
    secrets: [WIF_COMPRESSED],
  },
  {
    name: 'xprv',
    text: `exported from Electrum: ${XPRV}`,
    kinds: ['private_key'],
    secrets: [XPRV],
  },
  {
    name: 'zprv in Chinese',
    text: `这是我的扩展私钥 ${ZPRV} 请帮我看看`,
    kinds: ['private_key'],
    secrets: [ZPRV],
  },
  { name: 'tprv (testnet)', text: `testnet ${TPRV}`, kinds: ['private_key'], secrets: [TPRV] },
  {
    name: 'xprv with a failing checksum is still an xprv',
    text: `my key ${XPRV_MISTYPED}`,
    kinds: ['private_key'],
    secrets: [XPRV_MISTYPED],
  },

  // ── passwords ──────────────────────────────────────────────────────────────────────────
  {
    name: 'my password is …',
    text: 'my password is Hunter2! and the login page keeps spinning',
    kinds: ['password'],
    secrets: ['Hunter2'],
  },
  {
    name: 'password: …',
    text: 'login: mike88 password: abc12345 please check',
    kinds: ['password'],
    keep: ['mike88'],
    secrets: ['abc12345'],
  },
  {
    name: 'pw: with an email kept',
    text: 'account lin.wei@example.com pw: Xk9#mPq2, cannot withdraw',
    kinds: ['password'],
    keep: ['lin.wei@example.com'],
    secrets: ['Xk9#mPq2'],
  },
  { name: 'pwd=', text: 'pwd=S3cur3Pass', kinds: ['password'], secrets: ['S3cur3Pass'] },
  {
    name: 'password for my account is …',
    text: 'the password for my account is tr0ub4dor&3, you can log in',
    kinds: ['password'],
    secrets: ['tr0ub4dor&3'],
  },
  {
    name: '密码是 …',
    text: '我的密码是 abc123456 一直提示错误',
    kinds: ['password'],
    secrets: ['abc123456'],
  },
  {
    name: '密码：…',
    text: '账号 13800138000 密码：xyz789ab',
    kinds: ['password'],
    secrets: ['xyz789ab'],
  },
  {
    name: '登录密码是… (no space)',
    text: '登录密码是Qq112233我没改过',
    kinds: ['password'],
    secrets: ['Qq112233'],
  },
  {
    name: '资金密码 six digits',
    text: '资金密码 830615 输了好几次都说不对',
    kinds: ['password'],
    secrets: ['830615'],
  },
  {
    name: '密碼是 (traditional)',
    text: '我的密碼是 Lin@2023，可是登入不了',
    kinds: ['password'],
    secrets: ['Lin@2023'],
  },

  // ── API secrets ────────────────────────────────────────────────────────────────────────
  {
    name: 'API key + secret',
    text:
      'my bot stopped trading. API key: vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A ' +
      'secret: NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j',
    kinds: ['api_secret'],
    secrets: [
      'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
      'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j',
    ],
  },
  {
    name: 'apiKey= apiSecret=',
    text: 'config: apiKey=a1b2c3d4e5f6a7b8c9d0 apiSecret=Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1',
    kinds: ['api_secret'],
    secrets: ['a1b2c3d4e5f6a7b8c9d0', 'Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1'],
  },
  {
    name: 'api secret is …',
    text: 'Is it safe? my api secret is 9fJ2kL0pQ8rS7tU6vW5xY4zA3bC2dE1f, I shared it with a bot',
    kinds: ['api_secret'],
    secrets: ['9fJ2kL0pQ8rS7tU6vW5xY4zA3bC2dE1f'],
  },
  {
    name: 'API密钥 + Secret Key in Chinese',
    text: `API密钥 mx0vglBqh6abc12345xyz Secret Key ${hex(31)} 下单一直报签名错误`,
    kinds: ['api_secret'],
    secrets: ['mx0vglBqh6abc12345xyz', hex(31)],
  },
  {
    name: 'API pair with a tx hash kept',
    text: `api key AKIA7Q2W3E4R5T6Y7U8I secret wJalrXUtnFEMI0K7MDENGbPxRfiCYEXAMPLEKEY, tx ${TX_B}`,
    kinds: ['api_secret'],
    keep: [TX_B],
    secrets: ['AKIA7Q2W3E4R5T6Y7U8I', 'wJalrXUtnFEMI0K7MDENGbPxRfiCYEXAMPLEKEY'],
  },

  {
    name: 'secret key without the word API',
    text: 'Secret Key: 7hGq2Lx9Vb4Nm8Kp3Rt6Yw1Zc5Df0Sa, the bot says invalid signature',
    kinds: ['api_secret'],
    secrets: ['7hGq2Lx9Vb4Nm8Kp3Rt6Yw1Zc5Df0Sa'],
  },

  // ── several kinds at once ──────────────────────────────────────────────────────────────
  {
    name: 'seed, password and key in one message',
    text:
      `seed ${EN_12_C.join(' ')} / password: Moon2025$ / private key ${hex(41)} ` +
      `deposit ${TX_C} to ${ETH_ADDRESS}`,
    kinds: ['seed_phrase', 'password', 'private_key'],
    keep: [TX_C, ETH_ADDRESS],
    secrets: ['Moon2025$', hex(41), ...seedSecrets(EN_12_C, 'seed / password: / private key')],
  },

  // ── kept: public data and ordinary messages ────────────────────────────────────────────
  { name: 'bare 64-hex tx hash', text: TX_B, kinds: [], keep: [TX_B] },
  {
    name: 'tx hash with 0x in English',
    text: `Withdrawal says completed but nothing in my wallet, txid ${TX_A}`,
    kinds: [],
    keep: [TX_A],
  },
  {
    name: 'uppercase tx hash in Chinese',
    text: `充值一直没到账，交易哈希 ${TX_C}，麻烦看一下`,
    kinds: [],
    keep: [TX_C],
  },
  {
    name: 'hex string introduced as a hash right after the word key',
    text: `which key do I need? the hash is ${TX_B}`,
    kinds: [],
    keep: [TX_B],
  },
  {
    name: 'public key is not a secret',
    text: `my public key is 0x${hex(51)}`,
    kinds: [],
    keep: [`0x${hex(51)}`],
  },
  {
    name: 'addresses of many chains',
    text:
      `I sent from ${ETH_ADDRESS} to ${BTC_BECH32}? no wait, ${TRON_ADDRESS} and ${XRP_ADDRESS} ` +
      `(tag 100234), also ${SOL_ADDRESS}, ${LTC_ADDRESS}, ${DOGE_ADDRESS}`,
    kinds: [],
    keep: [
      ETH_ADDRESS,
      BTC_BECH32,
      TRON_ADDRESS,
      XRP_ADDRESS,
      SOL_ADDRESS,
      LTC_ADDRESS,
      DOGE_ADDRESS,
    ],
  },
  {
    name: 'Solana signature in traditional Chinese',
    text: `轉了 50 SOL 過來，交易簽名 ${SOL_SIGNATURE}，還沒到`,
    kinds: [],
    keep: [SOL_SIGNATURE],
  },
  {
    name: 'ticket, order id, amount, email, URL',
    text:
      'Following up on ticket #204117 (order 2024081500123, 1,250.50 USDT). I wrote to ' +
      'help@example.com and read https://example.com/help/en/withdrawals, still nothing.',
    kinds: [],
    keep: [
      '#204117',
      '2024081500123',
      '1,250.50',
      'help@example.com',
      'https://example.com/help/en/withdrawals',
    ],
  },
  { name: 'forgot password', text: 'I forgot my password, how do I reset it?', kinds: [] },
  {
    name: 'password is wrong',
    text: 'It keeps telling me my password is wrong even though I just reset password yesterday',
    kinds: [],
  },
  {
    name: 'password is incorrect / too short',
    text: 'password is incorrect. new password is too short??',
    kinds: [],
  },
  {
    name: 'change password to something stronger',
    text: 'I want to change my password to something stronger, where is the setting?',
    kinds: [],
  },
  { name: '密码是错的', text: '它说我密码是错的，可是我没改过', kinds: [] },
  { name: '密码错误 / 输错5次', text: '登录提示密码错误，输错密码5次后账号被锁了', kinds: [] },
  {
    name: '密码要求',
    text: '新密码 8-20位 必须包含大小写吗？改了密码 24小时不能提现吗',
    kinds: [],
  },
  {
    name: '2FA code is not a password',
    text: 'my google auth code is 482913 but it says expired',
    kinds: [],
  },
  { name: '验证码 is not a password', text: '短信验证码 662014 一直提示无效', kinds: [] },
  {
    name: 'passport is not a password',
    text: 'Can I use my passport: P12345678 for KYC?',
    kinds: [],
  },
  {
    name: 'seed phrase mentioned, not given',
    text: 'someone on telegram asked for my seed phrase to unlock my account, is that really support?',
    kinds: [],
  },
  {
    name: 'long English message full of BIP39 words',
    text:
      'Hello, I have been trying to withdraw my balance for about three days now. Every time ' +
      'I open the app it shows an error about account review and asks me to wait. I already ' +
      'completed the identity check, uploaded a clear photo of my card, and my phone number ' +
      'is verified. Could you please tell me what else you need from me, because I need this ' +
      'money for rent before the end of the month. I also noticed the fee seems higher than ' +
      'usual, is there a reason? Thank you for your help and patience, I really appreciate it.',
    kinds: [],
  },
  {
    name: 'English run of short common words',
    text: 'please help me, what can you do about this, I want my money back today, thank you',
    kinds: [],
  },
  {
    name: 'zh pending withdrawal',
    text: '我的提现一直在审核中已经三天了请问什么时候到账',
    kinds: [],
  },
  { name: 'zh mentions 助记词 without giving it', text: '助记词丢了怎么办还能找回来吗', kinds: [] },
  { name: 'zh 助记词是不是泄露了', text: '我的助记词是不是泄露了我的账户被盗了怎么办', kinds: [] },
  {
    name: 'zh long message with many list characters',
    text:
      '你好，我上个月在你们平台买了一些币，今天想提到自己的钱包，但是一直显示审核中，' +
      '已经过去了十二个小时，客服也没有回复。我的身份认证早就通过了，手机号和邮箱都绑定了，' +
      '为什么还要审核这么久？如果今天不能到账，我想知道具体原因和处理时间，谢谢。',
    kinds: [],
  },
  {
    name: 'zh-TW long message',
    text:
      '您好，我昨天從別的交易所轉了一筆USDT過來，那邊顯示已經完成，可是我這邊的帳戶餘額一直沒有' +
      '變化，請問是不是需要人工審核？麻煩儘快幫我處理，謝謝。',
    kinds: [],
  },
  {
    name: 'zh 12 list characters between punctuation',
    text: '为什么我的订单一直没有成交，价格已经到了，是不是系统出了问题',
    kinds: [],
  },
  {
    name: 'zh someone asked for the 助记词',
    text: '客服让我提供助记词才能解冻账户这是真的吗',
    kinds: [],
  },
  {
    name: 'zh 助记词是 followed by a sentence',
    text: '我的助记词是写在一张纸上的后来被我弄丢了现在还能找回钱包里的币吗',
    kinds: [],
  },
  {
    name: 'API question without credentials',
    text: 'my api key stopped working after I changed my password, do I need a new secret?',
    kinds: [],
  },
  { name: 'zh secret key question', text: 'secret key 是不是只显示一次？我忘记保存了', kinds: [] },
  {
    name: 'zh lost private key, address kept',
    text: `私钥丢了还能找回吗？我只记得地址 ${TRON_ADDRESS}`,
    kinds: [],
    keep: [TRON_ADDRESS],
  },
  {
    name: 'changed password, no value',
    text: 'I changed my password to a stronger one yesterday and now I cannot log in',
    kinds: [],
  },
  {
    name: 'mixed zh/en with a tx hash and address',
    text: `USDT 充值到 ${TRON_ADDRESS} 半天了还没到, tx ${TX_B}, pls check`,
    kinds: [],
    keep: [TRON_ADDRESS, TX_B],
  },
];

describe('guardSecrets table', () => {
  it('has at least 60 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = guardSecrets(c.text);
    const kinds = [...new Set(result.redactions.map((r) => r.kind))].sort();
    expect(kinds).toEqual([...c.kinds].sort());
    for (const keep of c.keep ?? []) expect(result.text).toContain(keep);
    const visible = result.text.replace(/\[REDACTED:[a-z_]+\]/g, ' ');
    for (const secret of c.secrets ?? []) expect(visible).not.toContain(secret);
    if (c.kinds.length === 0) expect(result.text).toBe(c.text);
    if (c.masked !== undefined) expect(result.text).toBe(c.masked);
  });
});

describe('fixtures', () => {
  it('uses checksum-valid keys and phrases', () => {
    for (const key of [WIF_UNCOMPRESSED, WIF_COMPRESSED, XPRV, ZPRV, TPRV]) {
      expect(decodeBase58Check(key)).not.toBeNull();
    }
    expect(decodeBase58Check(XPRV_MISTYPED)).toBeNull();
    expect(validateMnemonic(EN_24.join(' '), english)).toBe(true);
    expect(validateMnemonic(EN_TYPO.join(' '), english)).toBe(false);
    expect(validateMnemonic(EN_BAD_CHECKSUM.join(' '), english)).toBe(false);
    expect(validateMnemonic(ZH_MISTYPED.join(' '), simplified)).toBe(false);
  });

  it('computes the BIP39 checksum like @scure/bip39', () => {
    for (let seed = 100; seed < 140; seed++) {
      for (const bits of [128, 160, 192, 224, 256]) {
        const words = entropyToMnemonic(entropy(seed, bits / 8), english).split(' ');
        const indices = words.map((w) => english.indexOf(w));
        expect(hasValidChecksum(indices)).toBe(true);
        const broken = [...indices.slice(0, -1), ((indices.at(-1) ?? 0) + 1) % 2048];
        expect(hasValidChecksum(broken)).toBe(
          validateMnemonic(broken.map((i) => english[i]).join(' '), english),
        );
      }
    }
  });

  it('round-trips base58check', () => {
    const payload = Uint8Array.from([0, 0, 1, 2, 3, 250, 251]);
    expect(decodeBase58Check(encodeBase58Check(payload))).toEqual(payload);
  });
});

describe('redaction positions', () => {
  it('point into the original text and rebuild the masked text', () => {
    const text = `hi\npassword: pa55word!\nseed ${EN_12.join(' ')}\nkey: ${WIF_UNCOMPRESSED} 🙂`;
    const result = guardSecrets(text);
    expect(result.redactions.map((r) => r.kind)).toEqual([
      'password',
      'seed_phrase',
      'private_key',
    ]);
    expect(text.slice(result.redactions[0]?.start, result.redactions[0]?.end)).toBe('pa55word!');
    expect(text.slice(result.redactions[2]?.start, result.redactions[2]?.end)).toBe(
      WIF_UNCOMPRESSED,
    );
    const seedSpan = result.redactions[1];
    expect(text.slice(seedSpan?.start, seedSpan?.end)).toBe(EN_12.join(' '));
    expect(maskText(text, result.redactions)).toBe(result.text);
    expect(result.text).toBe(
      'hi\npassword: [REDACTED:password]\nseed [REDACTED:seed_phrase]\n' +
        'key: [REDACTED:private_key] 🙂',
    );
  });

  it('maskText merges overlapping spans and ignores their order', () => {
    const text = 'abcdefghij';
    const masked = maskText(text, [
      { kind: 'password', start: 6, end: 8 },
      { kind: 'private_key', start: 1, end: 4 },
      { kind: 'password', start: 3, end: 5 },
    ]);
    expect(masked).toBe('a[REDACTED:private_key]f[REDACTED:password]ij');
  });

  it('leaves an empty or secret-free message as it is', () => {
    expect(guardSecrets('')).toEqual({ text: '', redactions: [] });
    expect(guardSecrets('谢谢')).toEqual({ text: '谢谢', redactions: [] });
  });
});

describe('random mnemonics never survive', () => {
  type Format = (words: string[], zh: boolean) => string;
  const formats: Format[] = [
    (w) => w.join(' '),
    (w) => w.join(', '),
    (w) => w.join('\n'),
    (w) => numbered(w, (n) => `${n}. `),
    (w) => numbered(w, (n) => `${n}) `),
    (w) => numbered(w, (n) => `${n}:`),
    (w, zh) => (zh ? w.join('，') : w.join(' , ')),
    (w, zh) => (zh ? w.join('、') : w.map((x) => x.toUpperCase()).join(' ')),
    (w, zh) => (zh ? w.join('') : w.join('  ')),
  ];
  const templates = [
    (s: string, zh: boolean) => (zh ? `我的助记词是${s}，帮我看看` : `my seed: ${s} please help`),
    (s: string, zh: boolean) => (zh ? `助记词：\n${s}` : `${s}`),
    (s: string, zh: boolean) => (zh ? `钱包备份 ${s} 谢谢` : `wallet phrase\n${s}\nthanks`),
  ];

  it('masks 200 generated phrases in random formats', () => {
    const next = prng(2024);
    let checked = 0;
    for (let i = 0; i < 200; i++) {
      const zh = i % 2 === 1;
      const bits = next() % 2 === 0 ? 128 : 256;
      const words = entropyToMnemonic(entropy(next(), bits / 8), zh ? simplified : english).split(
        ' ',
      );
      const format = formats[next() % formats.length] ?? formats[0];
      const template = templates[next() % templates.length] ?? templates[0];
      if (!format || !template) continue;
      const formatted = format(words, zh);
      const text = template(formatted, zh);
      const result = guardSecrets(text);
      // The whole phrase lies inside one seed redaction (a neighbouring word may go with it).
      const at = text.indexOf(formatted);
      const lower = formatted.toLowerCase();
      const first = at + lower.indexOf(words[0] ?? '');
      const last = words.at(-1) ?? '';
      const end = at + lower.lastIndexOf(last) + last.length;
      const covering = result.redactions.find(
        (r) => r.kind === 'seed_phrase' && r.start <= first && r.end >= end,
      );
      expect(covering, text).toBeDefined();
      const visible = result.text.replace(/\[REDACTED:[a-z_]+\]/g, ' ').toLowerCase();
      for (const word of seedSecrets(words, template('', zh))) {
        expect(visible, text).not.toContain(word);
      }
      checked++;
    }
    expect(checked).toBe(200);
  });
});
