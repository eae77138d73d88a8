import { readFileSync } from 'node:fs';
import { serverPath } from '../paths.ts';
import { isHumanRequest, isLegalThreat } from './handoff.ts';
import { analyzeText, type TextAnalysis } from './tokenize.ts';

/** The default taxonomy (shared/eval/taxonomy.md). */
export const INTENTS = [
  'account.register',
  'account.login',
  'account.locked',
  'account.2fa',
  'account.security',
  'kyc',
  'deposit.not_credited',
  'deposit.wrong_network',
  'withdrawal.pending',
  'withdrawal.failed',
  'withdrawal.limits',
  'fees',
  'trading.order',
  'trading.history',
  'fiat',
  'support.human',
  'support.hours',
  'support.ticket_status',
  'support.complaint',
  'security.phishing',
  'greeting',
] as const;
export type Intent = (typeof INTENTS)[number];

/** One labelled message, as in training/examples.jsonl. */
export type IntentExample = { text: string; intent: string; lang?: string; handoff?: boolean };

export type IntentPrediction = {
  intent: string;
  /**
   * Softmax probability of `intent`. When a rule decided: at least 0.9 for an explicit request
   * for a person; the probability among the intents left when a greeting or a threat is set aside.
   */
  confidence: number;
  /** Softmax probability of every intent the model knows. */
  scores: Record<string, number>;
  /** The rule that decided the intent, when one did. */
  rule?: 'human_request' | 'threat_over_topic' | 'greeting_with_question';
};

export type IntentClassifier = {
  intents: readonly string[];
  classify(text: string): IntentPrediction;
};

/** Relative weight of each feature family before the vector is L2-normalised. */
export type FeatureWeights = {
  word: number;
  bigram: number;
  han: number;
  latin: number;
  concept: number;
};

export type TrainOptions = {
  /** Also train on copies with a greeting or thanks around the text (default true). */
  augment?: boolean;
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  weights?: Partial<FeatureWeights>;
  /** Examples a feature must appear in to enter the vocabulary (default 1). */
  minCount?: number;
};

const DEFAULT_WEIGHTS: FeatureWeights = {
  word: 1,
  bigram: 0.8,
  han: 0.6,
  latin: 0.4,
  concept: 0.8,
};

// Concepts shared by both languages and by the many ways of saying them ("提了", "wd", "withdrew"):
// one feature each, so a rare wording still lands on what the examples taught.
const CONCEPTS: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'out',
    /提币|提现|提款|出金|转出|提(?:了|到|出|的|去|往|给|过)|\bwithdr|\bwd\b|\bsent out\b|\bcash out\b/u,
  ],
  [
    'in',
    /充值|充币|充(?:了|进|到|的|错|过)|入金|转入|转进|存入|打币|\bdeposit|\bdep\b|\btop ?up\b|到你们|到这边|你们这边|转到这|\bto here\b|\bover here\b|\bto (?:you|your (?:exchange|platform|site))\b|\binto my (?:account|balance)\b/u,
  ],
  [
    'missing',
    /没到|未到|没收到|还没到|不到账|没有到|没入账|没上账|没显示|不见|\bnot (?:arrived?|received?|credited|showing|shown|show(?:n|ing)? up|in my)\b|\bnever (?:arrived|came|showed|landed|received)\b|\bhas\s*n[o']?t (?:arrived|shown|come|landed)|\bhave\s*n[o']?t (?:received|seen|got)|\bmissing\b|\bstill nothing\b|\bnothing (?:came|arrived|shows?)\b/u,
  ],
  ['mistake', /错|误|不小心|\bwrong\b|\bmistake|\baccidental|\bincorrect\b|\bby accident\b/u],
  [
    'omitted',
    /没填|没有填|忘(?:记|了)?填|漏填|没写|没有写|未填|忘(?:记|了)?写|没加|\bforgot\b|\bwithout (?:the |a |any )?(?:memo|tag)\b|\bno (?:memo|tag)\b|\bmissing (?:memo|tag)\b|\bdid\s*n[o']?t (?:include|add|put|enter)\b|\bleft out\b/u,
  ],
  ['memo', /memo|\btag\b|标签|备注|\bdestination tag\b/u],
  [
    'failed',
    /失败|被拒|拒绝|驳回|被取消|被撤|退回|\bfail|\breject|\bdeclin|\bcancel|\brevers|\bbounced?\b|\bdenied\b|\brefused\b/u,
  ],
  [
    'limit',
    /限额|额度|上限|最低|最少|最小|最多|\blimit|\bminimum\b|\bmin\b|\bmaximum\b|\bmax\b|\bquota\b|\bcap\b/u,
  ],
  [
    'fee',
    /手续费|费率|费用|扣费|收费|\bfees?\b|\bcommission\b|\bcharged?\b|\bcosts?\b|\bhow much (?:do|does|will) (?:you|it) (?:take|charge)\b/u,
  ],
  [
    'dissatisfied',
    /投诉|态度|太差|很差|极差|垃圾|不满|失望|敷衍|太慢|\bcomplain|\bterrible\b|\bworst\b|\brude\b|\buseless\b|\bunacceptable\b|\bdisappoint|\bjoke\b|\bincompetent\b|\bawful\b|\bhorrible\b|\bridiculous\b/u,
  ],
  [
    'when',
    /几点|什么时候|时间|周末|周六|周日|节假日|24小时|\bhours?\b|\bweekends?\b|\bholidays?\b|\bwhat time\b|\bwhen\b|allday/u,
  ],
  [
    'channel',
    /电话|邮箱|热线|联系方式|渠道|\bphone\b|\bemail\b|\bcall\b|\bhotline\b|\bcontact\b|\bchannels?\b/u,
  ],
  [
    'followup',
    /工单|进度|跟进|回复|答复|之前提交|\bticket|\bcase\b|\bfollow(?:ing)? up\b|\bupdate\b|\bprogress\b|\bany news\b|<ticket>/u,
  ],
  ['theft', /被盗|盗|被黑|黑客|\bhack|\bstolen\b|\bunauthori[sz]ed\b|\bdrained\b/u],
  [
    'authentic',
    // Not "防钓鱼码" / "anti-phishing code": that is a setting of account.security.
    /官方|真的吗|是真的|是不是你们|冒充|假的?|骗|(?<!防)钓鱼|\bofficial\b|\blegit\b|\bfake\b|\bscam|\bimpersonat|(?<!anti[- ]?)\bphishing\b|\bpretend|\bclaim(?:ing|ed|s)? to be\b|\bis (?:it|this|that) (?:real|true|genuine)\b/u,
  ],
  // A message that pushes a link or a call: the shape of a phishing lure.
  [
    'lure',
    /(?:短信|邮件|消息|私信|电话|推特|电报).{0,30}(?:链接|点击|点开|网址|下载)|\b(?:sms|text|email|e-mail|message|dm|call|tweet)\b.{0,50}\b(?:link|click|url|download)\b|<url>/u,
  ],
  [
    'frozen',
    /冻结|锁定|被锁|封号|被封|禁用|受限|限制|风控|\bfr[eo]z|\blocked\b|\bsuspend|\bdisabled?\b|\brestrict|\bbanned\b|\bblocked\b/u,
  ],
  [
    'code',
    /验证码|谷歌验证|验证器|双重验证|二次验证|短信码|动态码|2fa|\bauthenticator\b|\botp\b|\bsms\b|\bcodes?\b|\btotp\b|\bga\b/u,
  ],
  [
    'identity',
    /实名|认证|身份证|护照|自拍|人脸|活体|证件|\bkyc\b|\bpassport\b|\bselfie\b|\bid card\b|\bidentity\b|\bdocuments?\b|\bliveness\b/u,
  ],
  [
    'fiatmoney',
    /法币|银行|付款方式|支付方式|收款方式|\bpayment (?:methods?|options?)\b|\bpay (?:with|by|via|using)\b|信用卡|支付宝|微信支付|商家|c2c|p2p|otc|\bbank\b|\bcard\b|\bvisa\b|\bmastercard\b|\bpaypal\b|\bsepa\b|\bwire\b|\bmerchant\b|\bfiat\b|\busd\b|\beur\b/u,
  ],
  [
    'order',
    /订单|挂单|委托|成交|止损|止盈|强平|爆仓|平仓|限价|市价|杠杆|合约|\border|\bfill|\bstop[ -]?loss\b|\btake[ -]?profit\b|\bliquidat|\bleverage\b|\blimit order\b|\bposition\b/u,
  ],
  [
    'records',
    /记录|历史|明细|流水|账单|导出|对账单|\bhistory\b|\brecords?\b|\bstatements?\b|\bexport|\bcsv\b|\bledger\b/u,
  ],
  [
    'signup',
    /注册|开户|邀请码|推荐码|\bsign ?up\b|\bregist|\breferr?al\b|\binvite\b|\bcreate (?:an )?acc/u,
  ],
  [
    'signin',
    /登录|登不|进不去|密码错误|忘记密码|找回密码|重置密码|\blog ?in\b|\bsign ?in\b|\bpassword\b|\blogged out\b|\blog me out\b/u,
  ],
  // Nothing but greetings and thanks: a greeting in front of a question does not count.
  [
    'only_greeting',
    /^(?:(?:你好|您好|在吗|有人吗|谢谢|多谢|感谢|好的|嗯|收到|明白|辛苦|再见|拜拜|哈喽|嗨|早|ok|hi|hello|hey|yo|thanks|thank you|thank u|ty|thx|cheers|bye|good (?:morning|evening|afternoon|night)|got it)[\s,，.。!！~啦呀啊了的哈]*)+$/u,
  ],
];

const MIN_CLASS_GRADIENT = 1e-3;
const DEFAULTS = { epochs: 10, learningRate: 0.4, l2: 1e-5, seed: 20240601, minCount: 1 };

// Customers wrap questions in pleasantries; copies of some examples with a greeting in front or
// thanks behind teach the model that these words alone do not make a `greeting`.
const POLITE = {
  zh: {
    before: [
      '你好，',
      '您好 ',
      '在吗 ',
      '你好 请问',
      '哈喽，',
      '客服你好，',
      '您好，麻烦问一下，',
      '早上好，',
      '打扰了，',
      '你好呀 ',
    ],
    after: [
      '，谢谢',
      ' 谢谢',
      '，麻烦了',
      ' 辛苦了',
      '，多谢',
      ' 谢谢啦',
      '，感谢',
      ' 麻烦尽快回复 谢谢',
    ],
  },
  en: {
    before: [
      'hi, ',
      'hello ',
      'hey ',
      'good morning, ',
      'hi there ',
      "hello, hope you're well. ",
      'hey guys, ',
      'hi team, ',
      'good evening! ',
    ],
    after: [
      ' thanks',
      ', thank you',
      ' thx',
      ' cheers',
      ', thanks in advance',
      ' ty',
      ', appreciate it',
      ' thanks a lot!',
    ],
  },
};
const POLITE_SHARE = 0.3;

function politeVariants(examples: readonly IntentExample[], seed: number): IntentExample[] {
  const random = mulberry32(seed ^ 0x5bd1e995);
  const variants: IntentExample[] = [];
  for (const example of examples) {
    if (example.intent === 'greeting' || random() >= POLITE_SHARE) continue;
    const words = /\p{Script=Han}/u.test(example.text) ? POLITE.zh : POLITE.en;
    const list = random() < 0.5 ? words.before : words.after;
    const phrase = list[Math.floor(random() * list.length)] ?? '';
    const text = list === words.before ? `${phrase}${example.text}` : `${example.text}${phrase}`;
    variants.push({ ...example, text });
  }
  return variants;
}

// Intents that are about the conversation itself rather than a problem to solve.
const NOT_A_TOPIC = new Set([
  'support.complaint',
  'support.human',
  'support.hours',
  'support.ticket_status',
  'greeting',
]);
const MIN_TOPIC_UNDER_THREAT = 0.05;
// Concepts that name a concrete problem (a deposit, a frozen account…), unlike "I will sue you".
const TOPIC_CONCEPTS = new Set([
  'out',
  'in',
  'missing',
  'memo',
  'omitted',
  'failed',
  'limit',
  'fee',
  'theft',
  'frozen',
  'code',
  'identity',
  'fiatmoney',
  'order',
  'records',
  'signup',
  'signin',
]);

function hasTopic(normalized: string): boolean {
  return CONCEPTS.some(([name, pattern]) => TOPIC_CONCEPTS.has(name) && pattern.test(normalized));
}
// A person is only asked for explicitly, which the human-request rule has already seen.
const NOT_UNDER_GREETING = new Set(['greeting', 'support.human']);
// The question must be at least this likely relative to the greeting itself.
const MIN_TOPIC_TO_GREETING_RATIO = 0.25;

// Pleasantries, thanks and closings: what a `greeting` is made of (taxonomy: "with no substantive
// question"). What remains after removing them decides whether a greeting hides a question.
const PLEASANTRIES =
  /你好|您好|哈喽|哈啰|嗨|在吗|在不在|有人吗|请问|打扰(?:一下|了)?|麻烦(?:了|你了|您了)?|谢谢|多谢|感谢|辛苦(?:了|你了)?|好的|好滴|好吧|嗯+|收到|明白(?:了)?|知道了|懂了|了解|没问题(?:了)?|问题解决了|解决了|再见|拜拜|早上好|上午好|下午好|晚上好|午安|晚安|早安|新年快乐|节日快乐|客服|你们|你|您|大家|啦|呀|啊|哈|的|了|吗|呢|\b(?:hi|hello|hey|hiya|yo|sup|there|thanks|thank|you|u|so|much|very|a lot|many|ty|thx|cheers|appreciate|it|ok|okay|alright|great|perfect|cool|nice|awesome|got|that|solved|fixed|sorted|worked|all|good|now|bye|goodbye|see|ya|later|have|day|morning|afternoon|evening|night|guys|team|everyone|folks|support|again|for|your|help|the|is|anyone|here)\b/gu;
const MIN_SUBSTANCE_HAN = 3;
const MIN_SUBSTANCE_WORDS = 2;

/** Whether something other than pleasantries is left: then the message is not a bare greeting. */
function hasSubstance(normalized: string): boolean {
  const rest = normalized.replace(PLEASANTRIES, ' ');
  const han = rest.match(/\p{Script=Han}/gu)?.length ?? 0;
  const words = rest.match(/[a-z0-9<>]+/gu)?.length ?? 0;
  return han >= MIN_SUBSTANCE_HAN || words >= MIN_SUBSTANCE_WORDS;
}

type SparseVector = { indices: Int32Array; values: Float64Array };

/** Feature keys and weights of a message: words, word bigrams, character 1–4-grams. */
export function extractFeatures(
  analysis: TextAnalysis,
  weights: FeatureWeights = DEFAULT_WEIGHTS,
): Map<string, number> {
  const features = new Map<string, number>();
  const add = (key: string, weight: number): void => {
    if ((features.get(key) ?? 0) < weight) features.set(key, weight);
  };
  const { tokens } = analysis;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    add(`w:${token}`, weights.word);
    const next = tokens[i + 1];
    if (next !== undefined) add(`b:${token} ${next}`, weights.bigram);
  }
  if (weights.concept > 0) {
    for (const [name, pattern] of CONCEPTS)
      if (pattern.test(analysis.normalized)) add(`k:${name}`, weights.concept);
  }
  // Across jieba's word boundaries: segmentation mistakes and traditional leftovers still match.
  for (const run of analysis.hanRuns) {
    // Code points, not UTF-16 units, only when a rare character outside the BMP is there.
    const chars: string | string[] = /[\u{10000}-\u{10ffff}]/u.test(run) ? Array.from(run) : run;
    for (let n = 2; n <= 4; n++) {
      for (let i = 0; i + n <= chars.length; i++) {
        const gram =
          typeof chars === 'string' ? chars.slice(i, i + n) : chars.slice(i, i + n).join('');
        add(`c:${gram}`, weights.han);
      }
    }
  }
  // Inside Latin words, with boundary marks: typos ("withdrawl", "verfication") share most n-grams.
  for (const word of analysis.words) {
    if (word.length < 3) continue;
    const marked = `^${word}$`;
    for (let n = 3; n <= 4; n++) {
      for (let i = 0; i + n <= marked.length; i++)
        add(`l:${marked.slice(i, i + n)}`, weights.latin);
    }
  }
  return features;
}

/** Seeded PRNG (mulberry32), so training is the same on every start. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vectorize(features: Map<string, number>, vocabulary: Map<string, number>): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  let norm = 0;
  for (const [key, value] of features) {
    const index = vocabulary.get(key);
    if (index === undefined) continue;
    indices.push(index);
    values.push(value);
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return { indices: Int32Array.from(indices), values: Float64Array.from(values, (v) => v * scale) };
}

/** Linear scores of every class for one sparse example, written into `out`. */
function scoreInto(
  out: Float64Array,
  indices: Int32Array,
  values: Float64Array,
  weights: Float32Array,
  bias: Float64Array,
  classes: number,
): void {
  out.set(bias);
  for (let j = 0; j < indices.length; j++) {
    const base = (indices[j] ?? 0) * classes;
    const value = values[j] ?? 0;
    for (let k = 0; k < classes; k++) out[k] = (out[k] ?? 0) + value * (weights[base + k] ?? 0);
  }
}

function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    const e = Math.exp((scores[k] ?? 0) - max);
    scores[k] = e;
    sum += e;
  }
  for (let k = 0; k < scores.length; k++) scores[k] = (scores[k] ?? 0) / sum;
}

/**
 * Trains a multinomial logistic regression (AdaGrad, L2, seeded shuffle: deterministic) on word
 * unigrams and bigrams, character 2–4-grams and cross-language concepts, then applies the
 * labelling rules the model cannot be trusted with: an explicit request for a person is
 * `support.human` whatever else is mentioned; a greeting in front of a question is the question;
 * a legal threat next to a concrete problem keeps the problem as intent (the threat hands off).
 */
export function trainIntentClassifier(
  trainingExamples: readonly IntentExample[],
  options: TrainOptions = {},
): IntentClassifier {
  const { epochs, learningRate, l2, seed, minCount } = { ...DEFAULTS, ...options };
  const featureWeights: FeatureWeights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const labels = [...new Set(trainingExamples.map((example) => example.intent))].sort();
  const examples =
    (options.augment ?? true)
      ? [...trainingExamples, ...politeVariants(trainingExamples, seed)]
      : trainingExamples;
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const classes = labels.length;

  const vocabulary = new Map<string, number>();
  const featureSets = examples.map((example) =>
    extractFeatures(analyzeText(example.text), featureWeights),
  );
  // `minCount` can drop rare features to shrink the model; by default all are kept, because a
  // rare word (a wallet's or a payment method's name) is often exactly what decides.
  const seen = new Map<string, number>();
  for (const features of featureSets) {
    for (const key of features.keys()) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  for (const [key, count] of seen) if (count >= minCount) vocabulary.set(key, vocabulary.size);
  const vectors = featureSets.map((features) => vectorize(features, vocabulary));
  const targets = examples.map((example) => labelIndex.get(example.intent) ?? 0);

  const weights = new Float32Array(vocabulary.size * classes);
  const bias = new Float64Array(classes);
  // AdaGrad with one accumulator per feature (not per weight): a square root per feature instead
  // of one per feature and class, which keeps training well under a second.
  const featureSquares = new Float64Array(vocabulary.size);
  const biasSquares = new Float64Array(classes);
  const gradient = new Float64Array(classes);
  const active = new Int32Array(classes);
  const order = Array.from(examples, (_, i) => i);
  const random = mulberry32(seed);

  for (let epoch = 0; epoch < epochs; epoch++) {
    // Fisher–Yates with the seeded generator: same examples → same model.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = swap;
    }
    for (const n of order) {
      const { indices, values } = vectors[n] as SparseVector;
      const target = targets[n] ?? 0;
      scoreInto(gradient, indices, values, weights, bias, classes);
      softmaxInPlace(gradient);
      let gradientNorm = 0;
      let touched = 0;
      for (let k = 0; k < classes; k++) {
        const g = (gradient[k] ?? 0) - (k === target ? 1 : 0);
        gradient[k] = g;
        gradientNorm += g * g;
        // Classes the example hardly moves are skipped: most of them after the first epochs.
        if (Math.abs(g) >= MIN_CLASS_GRADIENT) active[touched++] = k;
        const squares = (biasSquares[k] ?? 0) + g * g;
        biasSquares[k] = squares;
        bias[k] = (bias[k] ?? 0) - (learningRate * g) / Math.sqrt(squares + 1e-8);
      }
      // A confidently right example teaches nothing more.
      if (gradientNorm < 1e-6) continue;
      for (let j = 0; j < indices.length; j++) {
        const feature = indices[j] ?? 0;
        const value = values[j] ?? 0;
        const squares = (featureSquares[feature] ?? 0) + value * value * gradientNorm;
        featureSquares[feature] = squares;
        const rate = learningRate / Math.sqrt(squares + 1e-8);
        const base = feature * classes;
        for (let a = 0; a < touched; a++) {
          const k = active[a] ?? 0;
          const w = weights[base + k] ?? 0;
          weights[base + k] = w - rate * ((gradient[k] ?? 0) * value + l2 * w);
        }
      }
    }
  }

  const humanIndex = labelIndex.get('support.human');

  function classify(text: string): IntentPrediction {
    const analysis = analyzeText(text);
    const { indices, values } = vectorize(extractFeatures(analysis, featureWeights), vocabulary);
    const out = new Float64Array(classes);
    scoreInto(out, indices, values, weights, bias, classes);
    softmaxInPlace(out);
    const scores: Record<string, number> = {};
    let best = 0;
    for (let k = 0; k < classes; k++) {
      scores[labels[k] ?? ''] = out[k] ?? 0;
      if ((out[k] ?? 0) > (out[best] ?? 0)) best = k;
    }
    if (humanIndex !== undefined && isHumanRequest(text)) {
      return {
        intent: 'support.human',
        confidence: Math.max(out[humanIndex] ?? 0, 0.9),
        scores,
        rule: 'human_request',
      };
    }
    /** The most probable intent outside `excluded`, if it reaches `minimum`. */
    const fallback = (
      excluded: ReadonlySet<string>,
      minimum: number,
      rule: 'greeting_with_question' | 'threat_over_topic',
    ): IntentPrediction | null => {
      let topic = -1;
      let remaining = 0;
      for (let k = 0; k < classes; k++) {
        if (excluded.has(labels[k] ?? '')) continue;
        remaining += out[k] ?? 0;
        if (topic < 0 || (out[k] ?? 0) > (out[topic] ?? 0)) topic = k;
      }
      if (topic < 0 || (out[topic] ?? 0) < minimum) return null;
      // The probability among the intents the rule leaves possible.
      const confidence = (out[topic] ?? 0) / Math.max(remaining, 1e-12);
      return { intent: labels[topic] ?? '', confidence, scores, rule };
    };
    if (labels[best] === 'greeting' && hasSubstance(analysis.normalized)) {
      // "您好，打扰一下，我的账户被限制了": the pleasantry is not the point. Praise or thanks with
      // words around them leave no other intent likely, and stay a greeting.
      const minimum = (out[best] ?? 0) * MIN_TOPIC_TO_GREETING_RATIO;
      const topic = fallback(NOT_UNDER_GREETING, minimum, 'greeting_with_question');
      if (topic) return topic;
    }
    if (
      labels[best] === 'support.complaint' &&
      isLegalThreat(text) &&
      hasTopic(analysis.normalized)
    ) {
      // A threat attached to a concrete problem ("unfreeze it or I sue") asks for the problem to be
      // solved; the threat makes the handoff. A threat with no clear topic stays a complaint.
      const topic = fallback(NOT_A_TOPIC, MIN_TOPIC_UNDER_THREAT, 'threat_over_topic');
      if (topic) return topic;
    }
    return { intent: labels[best] ?? '', confidence: out[best] ?? 0, scores };
  }

  return { intents: labels, classify };
}

/** Our labelled examples (training/examples.jsonl), one JSON object a line. */
export function loadTrainingExamples(): IntentExample[] {
  return readFileSync(serverPath('src', 'assistant', 'training', 'examples.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as IntentExample);
}

let defaultClassifier: IntentClassifier | undefined;

/** The classifier trained on the shipped examples, trained on first use (well under a second). */
export function getIntentClassifier(): IntentClassifier {
  defaultClassifier ??= trainIntentClassifier(loadTrainingExamples());
  return defaultClassifier;
}
