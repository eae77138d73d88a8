import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectHandoff, isHumanRequest } from './handoff.ts';
import { loadTrainingExamples } from './intent-classifier.ts';

const reasonsOf = (text: string, intent = 'greeting'): string[] =>
  detectHandoff(text, intent).reasons;

describe('detectHandoff', () => {
  it('hands off an explicit request for a person, by intent or by wording', () => {
    expect(detectHandoff('anything', 'support.human')).toEqual({
      handoff: true,
      reasons: ['human_request'],
    });
    expect(reasonsOf('充值的事情，麻烦转接人工', 'deposit.not_credited')).toEqual([
      'human_request',
    ]);
    expect(reasonsOf('給我找個真人客服')).toEqual(['human_request']);
    expect(reasonsOf('can i talk to an actual human about my kyc', 'kyc')).toEqual([
      'human_request',
    ]);
    expect(reasonsOf('Agent please')).toEqual(['human_request']);
  });

  it('does not read manual review, channel questions or praise as a request for a person', () => {
    expect(isHumanRequest('提币显示人工审核中')).toBe(false);
    expect(isHumanRequest('KYC 人工复核要多久')).toBe(false);
    expect(isHumanRequest('my withdrawal is under manual review')).toBe(false);
    expect(isHumanRequest('人工客服电话多少')).toBe(false);
    expect(isHumanRequest('what hours are live agents online')).toBe(false);
    expect(isHumanRequest('your bot beats your agents honestly')).toBe(false);
    expect(isHumanRequest('the agent was rude to me')).toBe(false);
  });

  it('hands off a complaint', () => {
    expect(detectHandoff('服务太差', 'support.complaint')).toEqual({
      handoff: true,
      reasons: ['complaint'],
    });
  });

  it('hands off stolen funds and unauthorised withdrawals', () => {
    expect(reasonsOf('我的币被盗了，余额只剩零头', 'account.security')).toContain('funds_stolen');
    expect(reasonsOf('凌晨有一笔提币不是我本人操作的', 'account.security')).toContain(
      'funds_stolen',
    );
    expect(reasonsOf('somebody withdrew 3 eth from my account last night')).toContain(
      'funds_stolen',
    );
    expect(reasonsOf('there was an unauthorized withdrawal on my account')).toContain(
      'funds_stolen',
    );
    expect(reasonsOf('hacked!! all my usdt are gone')).toContain('funds_stolen');
  });

  it('does not hand off an attack where nothing is lost yet', () => {
    expect(detectHandoff('有人一直在尝试登录我的账户，资产还在', 'account.security').handoff).toBe(
      false,
    );
    expect(
      detectHandoff('got a new-device login alert, not me, my balance is fine', 'account.security')
        .handoff,
    ).toBe(false);
    expect(detectHandoff('收到一封不是我申请的提币确认邮件', 'account.security').handoff).toBe(
      false,
    );
    expect(detectHandoff('my phone was stolen, how do i reset 2fa', 'account.2fa').handoff).toBe(
      false,
    );
    expect(
      detectHandoff(
        'worried my funds could be stolen, how to secure my account',
        'account.security',
      ).handoff,
    ).toBe(false);
  });

  it('hands off a legal threat whatever the intent', () => {
    expect(reasonsOf('再不解冻我就去法院起诉你们', 'account.locked')).toEqual(['legal_threat']);
    expect(
      reasonsOf('fix my deposit or I am contacting my attorney', 'deposit.not_credited'),
    ).toEqual(['legal_threat']);
    expect(reasonsOf('i will report this to the SEC', 'support.complaint')).toEqual([
      'complaint',
      'legal_threat',
    ]);
  });

  it('hands off secrets already given to an impersonator', () => {
    expect(
      reasonsOf('那个自称客服的人让我把助记词发给他，我已经发了', 'security.phishing'),
    ).toContain('secret_given_to_impersonator');
    expect(reasonsOf('我把谷歌验证码告诉了冒充官方的人')).toContain('secret_given_to_impersonator');
    expect(reasonsOf('i shared my seed phrase with a fake support account on telegram')).toContain(
      'secret_given_to_impersonator',
    );
    expect(reasonsOf('he said he was an admin, i sent him my 2fa code')).toContain(
      'secret_given_to_impersonator',
    );
  });

  it('does not hand off a secret pasted to us or a question about sharing one', () => {
    expect(detectHandoff('登录不了，我的密码是 Kx!88a9q 帮我看看', 'account.login').handoff).toBe(
      false,
    );
    expect(
      detectHandoff(
        'here is my seed phrase so you can check: ribbon orbit canvas lemon wrist bubble ticket hazard olive marble tooth equip',
        'deposit.not_credited',
      ).handoff,
    ).toBe(false);
    expect(
      detectHandoff(
        'someone on telegram wants my seed phrase, should i give it?',
        'security.phishing',
      ).handoff,
    ).toBe(false);
    expect(detectHandoff('有人让我提供私钥，我没给，是骗子吗', 'security.phishing').handoff).toBe(
      false,
    );
  });

  it('agrees with the handoff label of every training example', () => {
    const disagreements = loadTrainingExamples()
      .filter((e) => detectHandoff(e.text, e.intent).handoff !== e.handoff)
      .map((e) => `${e.handoff ? 'missed' : 'extra'}: ${e.text}`);
    expect(disagreements).toEqual([]);
  });

  it('does not depend on case or full-width characters', () => {
    const handoffTexts = [
      'talk to a human',
      'someone withdrew all my btc',
      'i will sue you',
      'i gave my seed phrase to the fake agent',
    ];
    const toFullWidth = (s: string): string =>
      s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    fc.assert(
      fc.property(
        fc.constantFrom(...handoffTexts),
        fc.constantFrom<(s: string) => string>(
          (s) => s.toUpperCase(),
          toFullWidth,
          (s) => `  ${s}  `,
        ),
        (text, transform) => {
          expect(detectHandoff(transform(text), 'greeting').handoff).toBe(true);
        },
      ),
    );
  });

  it('never hands off a bare greeting', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('你好', '您好', '在吗', 'hi', 'hello', 'thanks', '谢谢', 'good morning'),
        fc.constantFrom('', '!', '！', '~', ' 😊'),
        (greeting, tail) => {
          expect(detectHandoff(`${greeting}${tail}`, 'greeting').handoff).toBe(false);
        },
      ),
    );
  });
});
