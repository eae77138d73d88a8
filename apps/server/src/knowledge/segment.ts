import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Words of crypto support that jieba's general dictionary splits apart (提币 → 提/币,
 * 谷歌验证器 → 谷/歌/验证/器). Loaded once with a high frequency so they win.
 */
export const CRYPTO_WORDS = [
  '提币',
  '充币',
  '充值',
  '提现',
  '到账',
  '未到账',
  '没到账',
  '入金',
  '出金',
  '链上',
  '链上确认',
  '确认数',
  '主网',
  '公链',
  '谷歌验证',
  '谷歌验证器',
  '谷歌验证码',
  '双重验证',
  '二次验证',
  '身份验证器',
  '验证码',
  '短信验证码',
  '邮箱验证码',
  '实名认证',
  '身份认证',
  '手持证件照',
  '手持照',
  '人脸识别',
  '证件照',
  '防钓鱼码',
  '资金密码',
  '交易密码',
  '登录密码',
  '转人工',
  '人工客服',
  '在线客服',
  '真人客服',
  '工单',
  '工单号',
  '冻结',
  '解冻',
  '锁定',
  '解锁',
  '被盗',
  '盗号',
  '手续费',
  '挂单',
  '吃单',
  '限价单',
  '市价单',
  '止盈',
  '止损',
  '止盈止损',
  '强平',
  '爆仓',
  '保证金',
  '合约',
  '现货',
  '币币',
  '法币',
  '场外',
  '白名单',
  '提币地址',
  '充值地址',
  '备注',
  '标签',
  '交易哈希',
  '区块浏览器',
  '钓鱼网站',
  '客服电话',
  '人工审核',
  '风控',
  '风控审核',
  '审核中',
  '处理中',
  '提现限额',
  '提币限额',
  '最小提币',
  '返佣',
  '邀请码',
  '推荐码',
  '注册',
  '登录',
  '登陆',
  '找回密码',
  '重置密码',
  '交易记录',
  '充值记录',
  '提币记录',
  '导出',
  '对账单',
];

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(CRYPTO_WORDS.map((w) => `${w} 200000 n`).join('\n')));
  }
  return jieba;
}

/** Synonym groups: any member also indexes and queries as `~group`. */
export const SYNONYMS: Record<string, string[]> = {
  withdraw: ['提币', '提现', '出金', '提款', '取款', '提出', 'withdraw', 'withdrawal', 'wd'],
  deposit: ['充值', '充币', '入金', '存款', '转入', 'deposit', 'dep', 'topup'],
  arrive: [
    '到账',
    '未到账',
    '没到账',
    '没到',
    '到帐',
    'credited',
    'arrive',
    'arrived',
    'received',
    'missing',
  ],
  twofa: [
    '谷歌验证',
    '谷歌验证器',
    '谷歌验证码',
    '双重验证',
    '二次验证',
    '身份验证器',
    '2fa',
    'authenticator',
    'ga',
    'otp',
    'totp',
  ],
  locked: [
    '冻结',
    '锁定',
    '封号',
    '被锁',
    '锁',
    '禁用',
    'locked',
    'lock',
    'frozen',
    'freeze',
    'disabled',
    'suspended',
    'restricted',
  ],
  kyc: ['实名', '实名认证', '身份认证', '认证', 'kyc', 'verification', 'identity'],
  fee: ['手续费', '费用', '费率', '收费', 'fee', 'commission'],
  password: ['密码', 'password', 'passcode'],
  login: ['登录', '登陆', 'login', 'signin', 'logon'],
  register: ['注册', '开户', 'register', 'signup', 'registration'],
  memo: ['备注', '标签', 'memo', 'tag', 'destination'],
  network: ['网络', '链', '主网', '公链', 'network', 'chain', 'blockchain'],
  history: ['记录', '历史', '明细', '对账单', 'history', 'record', 'statement'],
  order: ['订单', '委托', '挂单', 'order'],
  human: ['人工', '人工客服', '真人', '转人工', 'human', 'agent', 'person', 'representative'],
  scam: ['钓鱼', '诈骗', '骗子', '假冒', '骗', 'phishing', 'scam', 'fake', 'impersonator', 'fraud'],
  card: ['信用卡', '银行卡', '借记卡', 'card', 'visa', 'mastercard'],
  p2p: ['c2c', 'p2p', 'otc', '场外'],
  code: ['验证码', '短信验证码', '邮箱验证码', 'code', 'sms'],
  stolen: ['被盗', '盗号', '盗', 'stolen', 'hacked', 'compromised', 'unauthorized'],
  hours: ['工作时间', '营业时间', 'hours', 'available', 'open'],
};

const synonymOf = new Map<string, string>();
for (const [group, words] of Object.entries(SYNONYMS))
  for (const w of words) synonymOf.set(w, `~${group}`);

const STOP = new Set([
  'the',
  'a',
  'an',
  'is',
  'are',
  'was',
  'were',
  'to',
  'of',
  'in',
  'on',
  'for',
  'and',
  'or',
  'my',
  'i',
  'me',
  'it',
  'this',
  'that',
  'be',
  'have',
  'has',
  'do',
  'does',
  'did',
  'can',
  'you',
  'your',
  'with',
  'at',
  'from',
  'by',
  'how',
  'what',
  'why',
  'when',
  'we',
  'our',
  'not',
  'no',
  'please',
  'pls',
  'hi',
  'hello',
  '的',
  '了',
  '吗',
  '呢',
  '吧',
  '啊',
  '是',
  '我',
  '你',
  '在',
  '和',
  '就',
  '都',
  '也',
  '还',
  '有',
  '这',
  '那',
  '个',
  '怎么',
  '请问',
  '一下',
  '什么',
  '为什么',
  '如何',
  '可以',
  '能',
  '要',
  '我的',
  '，',
  '。',
  '？',
  '！',
  '、',
]);

/** A small English stemmer: enough to meet withdrawals/withdrawal, confirmations/confirmed. */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  for (const [suffix, replace] of [
    ['ations', 'ate'],
    ['ation', 'ate'],
    ['ings', ''],
    ['ing', ''],
    ['edly', ''],
    ['ied', 'y'],
    ['ies', 'y'],
    ['ed', ''],
    ['als', 'al'],
    ['ness', ''],
    ['ments', 'ment'],
    ['s', ''],
  ] as const) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3)
      return word.slice(0, word.length - suffix.length) + replace;
  }
  return word;
}

const CJK = /[\u3400-\u9fff]/;

/**
 * Words of a text for search: Chinese by jieba (with the crypto words), English lower-cased
 * and stemmed, stop words dropped, and each synonym also as its group token.
 */
export function searchTerms(text: string): string[] {
  const out: string[] = [];
  const normalized = text.normalize('NFKC').toLowerCase();
  for (const token of segmenter().cut(normalized, true)) {
    const t = token.trim();
    if (!t || STOP.has(t) || /^[\p{P}\p{S}\s]+$/u.test(t)) continue;
    if (CJK.test(t)) {
      out.push(t);
      const group = synonymOf.get(t);
      if (group) out.push(group);
      // Single characters of longer words let 提 find 提币 when jieba cuts a query differently.
      continue;
    }
    for (const part of t.split(/[^a-z0-9]+/)) {
      if (!part || STOP.has(part)) continue;
      const s = stem(part);
      out.push(s);
      const group = synonymOf.get(part) ?? synonymOf.get(s);
      if (group) out.push(group);
    }
  }
  return out;
}

/** The words of a Chinese text as jieba cuts it (with the crypto words), stop words dropped. */
export function cutWords(text: string): string[] {
  return segmenter()
    .cut(text.normalize('NFKC').toLowerCase(), false)
    .map((t) => t.trim())
    .filter((t) => t && !STOP.has(t) && !/^[\p{P}\p{S}\s]+$/u.test(t));
}
