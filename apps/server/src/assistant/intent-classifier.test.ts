import { beforeAll, describe, expect, it } from 'vitest';
import {
  INTENTS,
  type IntentClassifier,
  type IntentExample,
  loadTrainingExamples,
  trainIntentClassifier,
} from './intent-classifier.ts';
import { analyzeText, maskEntities, normalizeText, stemWord, tokenize } from './tokenize.ts';

describe('tokenize', () => {
  it('normalises width, case and traditional characters', () => {
    expect(normalizeText('ＵＳＤＴ提幣沒到帳')).toBe('usdt提币没到账');
    expect(normalizeText('帳號被凍結，請幫我處理')).toBe('账号被冻结,请帮我处理');
    // Taiwanese words become the mainland words the examples use.
    expect(normalizeText('收不到簡訊，登入失敗')).toBe('收不到短信,登录失败');
  });

  it('keeps the crypto-support words whole', () => {
    expect(tokenize('谷歌验证器丢了')).toContain('谷歌验证器');
    expect(tokenize('提币一直没到账')).toEqual(['提币', '一直', '没到账']);
    expect(tokenize('我要转人工')).toContain('转人工');
    expect(tokenize('实名认证人工审核中')).toContain('人工审核');
    expect(tokenize('防釣魚碼在哪裡設置')).toContain('防钓鱼码');
  });

  it('masks hashes, addresses, tickets, URLs and numbers', () => {
    const hash = `0x${'ab12'.repeat(16)}`;
    expect(tokenize(`tx ${hash} not credited`)).toEqual(['transaction', '<txid>', 'not', 'credit']);
    expect(tokenize('sent to 0x52908400098527886E0F7030069857D2E4169EE7')).toContain('<addr>');
    expect(tokenize('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')).toEqual(['<addr>']);
    expect(tokenize('工单号 48213 进度')).toEqual(['工单号', '<ticket>', '进度']);
    expect(tokenize('ticket #5523?')).toEqual(['ticket', '<ticket>']);
    expect(tokenize('is https://kefu-help.example.com/login real')).toContain('<url>');
    // An order number is not a ticket.
    expect(tokenize('订单号 123456 没成交')).toContain('<num>');
    expect(maskEntities('充了500U')).toContain('<num>');
    expect(tokenize('充了500U')).toContain('usdt');
  });

  it('keeps what the secret guard left as one placeholder', () => {
    expect(tokenize('my phrase is [REDACTED:seed_phrase] pls help')).toContain('<secret>');
  });

  it('expands abbreviations and stems English words', () => {
    expect(tokenize('wd pending 2 hrs pls')).toEqual([
      'withdraw',
      'pending',
      '<num>',
      'hour',
      'pleas',
    ]);
    expect(tokenize('lost my ga')).toEqual(tokenize('lose my google authenticator'));
    expect(tokenize("can't login, 2fa code")).toEqual(['cannot', 'log', 'in', '2fa', 'code']);
    expect(stemWord('deposits')).toBe('deposit');
    expect(stemWord('deposited')).toBe('deposit');
    expect(stemWord('stopped')).toBe('stop');
    expect(stemWord('verified')).toBe(stemWord('verify'));
    expect(stemWord('received')).toBe(stemWord('receive'));
  });

  it('gives character material for n-grams', () => {
    const analysis = analyzeText('充值没到 withdrawl');
    expect(analysis.hanRuns).toEqual(['充值没到']);
    expect(analysis.words).toEqual(['withdrawl']);
    expect(analysis.tokens).toContain('withdraw');
  });
});

describe('training examples', () => {
  const examples = loadTrainingExamples();

  it('cover every intent with at least 25 examples in each language', () => {
    for (const intent of INTENTS) {
      for (const lang of ['zh', 'en']) {
        const count = examples.filter((e) => e.intent === intent && e.lang === lang).length;
        expect(count, `${intent} ${lang}`).toBeGreaterThanOrEqual(25);
      }
    }
  });

  it('use only taxonomy intents, known languages and no duplicates', () => {
    const intents = new Set<string>(INTENTS);
    for (const e of examples) {
      expect(intents.has(e.intent), e.text).toBe(true);
      expect(['zh', 'en', 'mixed']).toContain(e.lang);
      expect(typeof e.handoff).toBe('boolean');
    }
    const texts = examples.map((e) => e.text.toLowerCase());
    expect(new Set(texts).size).toBe(texts.length);
  });
});

describe('intent classifier', () => {
  let classifier: IntentClassifier;
  beforeAll(() => {
    classifier = trainIntentClassifier(loadTrainingExamples());
  });

  const intentOf = (text: string): string => classifier.classify(text).intent;

  it('answers a softmax distribution over the taxonomy', () => {
    const prediction = classifier.classify('充值三个小时还没到账');
    expect(classifier.intents).toEqual([...INTENTS].sort());
    const total = Object.values(prediction.scores).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 6);
    expect(prediction.confidence).toBe(prediction.scores[prediction.intent]);
    expect(prediction.intent).toBe('deposit.not_credited');
  });

  it.each([
    ['我的比特币从钱包转进来五个小时了，余额还是没变', 'deposit.not_credited'],
    [
      'bought usdt on another exchange and moved it here, balance still zero after 3 hrs',
      'deposit.not_credited',
    ],
    ['把USDT用波场网络发到了以太坊的充值地址', 'deposit.wrong_network'],
    ['forgot to put the memo when i sent my xrp in', 'deposit.wrong_network'],
    ['提币申请提交两个小时了还在审核', 'withdrawal.pending'],
    ['my wd to my hardware wallet is still processing after 5 hours', 'withdrawal.pending'],
    ['提币被拒了，币也没退回来', 'withdrawal.failed'],
    ['每天最多可以提多少个以太坊', 'withdrawal.limits'],
    ['whats the max i can withdraw per day without kyc', 'withdrawal.limits'],
    ['现货挂单和吃单的手续费分别是多少', 'fees'],
    ['我设置的止损单没有触发，直接被强平了', 'trading.order'],
    ['how do i download all my trades from 2023 as a spreadsheet', 'trading.history'],
    ['用信用卡买币扣了钱但是币没到', 'fiat'],
    ['护照认证提交后一直在审核', 'kyc'],
    ['手机换了，谷歌验证码没了，怎么重置', 'account.2fa'],
    ['忘记登录密码了，找回密码的邮件收不到', 'account.login'],
    ['账户被冻结了，怎么解冻', 'account.locked'],
    ['there is a login from a device i dont recognise in my history', 'account.security'],
    ['想注册一个账号，推荐码填在哪', 'account.register'],
    ['is this telegram account really your support?', 'security.phishing'],
    ['谢谢你，问题解决了', 'greeting'],
  ])('%s → %s', (text, intent) => {
    expect(intentOf(text)).toBe(intent);
  });

  describe('labelling rules', () => {
    it('an explicit request for a person is support.human even next to another topic', () => {
      expect(intentOf('充值还没到，别给我发文章了，直接帮我转人工')).toBe('support.human');
      expect(intentOf('我的账户被锁了，找个真人客服跟我说')).toBe('support.human');
      expect(intentOf('my kyc got rejected again, let me speak to a real person')).toBe(
        'support.human',
      );
      expect(intentOf('withdrawal stuck since monday. live agent please')).toBe('support.human');
      const prediction = classifier.classify('人工！！');
      expect(prediction.intent).toBe('support.human');
      expect(prediction.rule).toBe('human_request');
    });

    it('manual review is not a request for a person', () => {
      expect(intentOf('实名认证显示人工审核，要等几天')).toBe('kyc');
      expect(intentOf('提币一直在人工审核中，正常吗')).toBe('withdrawal.pending');
      expect(intentOf('my withdrawal is in manual review since yesterday')).toBe(
        'withdrawal.pending',
      );
      expect(intentOf('your bot answers better than your agents, thanks')).not.toBe(
        'support.human',
      );
    });

    it('asking how to reach support by phone is support.hours', () => {
      expect(intentOf('人工客服电话是多少')).toBe('support.hours');
      expect(intentOf('可以打电话找你们客服吗')).toBe('support.hours');
      expect(intentOf('is there a phone number for your support team')).toBe('support.hours');
    });

    it('a quoted ticket number is a follow-up', () => {
      expect(intentOf('工单 70215 三天了没人回复，进度怎么样')).toBe('support.ticket_status');
      expect(intentOf('any news on case #40417?')).toBe('support.ticket_status');
    });

    it('a complaint about the service is support.complaint', () => {
      expect(intentOf('你们客服处理问题太慢了，我要投诉')).toBe('support.complaint');
      expect(
        intentOf('the agent hung up on me, this service is appalling, i want to complain'),
      ).toBe('support.complaint');
    });

    it('a greeting around a question is the question; thanks alone is a greeting', () => {
      const prediction = classifier.classify('您好，打扰一下，我的账户被限制交易了，怎么回事');
      expect(prediction.intent).toBe('account.locked');
      expect(intentOf('Hello there! quick one: what does a btc withdrawal cost?')).toBe('fees');
      expect(intentOf('好的，问题解决了，非常感谢')).toBe('greeting');
      expect(intentOf('cheers, your bot sorted it quicker than I expected')).toBe('greeting');
    });

    it('a legal threat attached to a concrete problem keeps the problem as intent', () => {
      expect(intentOf('提币卡了一周了，再不放行我就报警')).toBe('withdrawal.pending');
      expect(intentOf('unfreeze my account by monday or my lawyer will handle it')).toBe(
        'account.locked',
      );
      expect(intentOf('我要起诉你们')).toBe('support.complaint');
    });
  });

  it('trains deterministically: same examples, same predictions and scores', () => {
    const examples: IntentExample[] = loadTrainingExamples();
    const again = trainIntentClassifier(examples);
    for (const text of [
      '提币一直没到账',
      'lost my 2fa device',
      '我要转人工',
      'is this link official https://kefu.example.top',
      'hello',
    ]) {
      expect(again.classify(text)).toEqual(classifier.classify(text));
    }
  });

  it('a different seed still learns the same task', () => {
    const other = trainIntentClassifier(loadTrainingExamples(), { seed: 7 });
    expect(other.classify('提币手续费多少').intent).toBe('fees');
    expect(other.classify('my account is frozen').intent).toBe('account.locked');
  });
});
