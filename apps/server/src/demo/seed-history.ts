import { randomUUID } from 'node:crypto';
import { auditEvents } from '../audit/schema.ts';
import { contacts } from '../contacts/schema.ts';
import { conversations, messages } from '../conversations/schema.ts';
import { qualityReviews } from '../csat/schema.ts';
import type { Tx } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { inboxes } from '../inboxes/schema.ts';

/**
 * Thirty days of plausible support history for the Demo Exchange, so a fresh install shows real
 * reports: conversations in Chinese and English over the website, email and Telegram, with
 * replies, resolutions, ratings, SLA outcomes, assistant answers, handoffs and quality reviews.
 * Written with a few multi-row inserts (start-up time matters) from a fixed seed, so every
 * install sees the same demo.
 */
export type HistoryIds = {
  widgetInboxId: string;
  teams: { l1zh: string; l1en: string; l2: string };
  agents: { supervisor: string; zh: string; en: string; l2: string };
  policies: { vip: string; standard: string };
};

type Lang = 'zh-CN' | 'en';
type Template = {
  intent: string;
  /** Customer opening, agent answer, optional customer follow-up and agent close, per language. */
  zh: string[];
  en: string[];
  l2?: boolean;
};

const TEMPLATES: Template[] = [
  {
    intent: 'deposit.not_credited',
    zh: [
      '我充值的 {amount} {coin} 两个小时了还没到账，TxID 是 {txid}',
      '您好，已查到这笔交易，目前区块确认数不足，确认完成后会自动到账。',
      '好的，现在已经到账了，谢谢！',
      '不客气，祝您交易愉快。',
    ],
    en: [
      'My deposit of {amount} {coin} has not arrived after two hours. TxID {txid}',
      'Hello, I found the transaction. It still needs a few confirmations and will be credited automatically.',
      'It shows up now, thank you!',
      'You are welcome, happy trading.',
    ],
  },
  {
    intent: 'withdrawal.pending',
    zh: [
      '提币一直显示处理中，已经 3 个小时了，UID {uid}',
      '您好，您的提币正在风控审核中，通常 1 小时内完成，我们已加急处理。',
      '收到了，谢谢',
      '感谢您的耐心等待。',
    ],
    en: [
      'My withdrawal has been pending for 3 hours, UID {uid}',
      'Hi, your withdrawal is in the security review. We have asked the team to prioritise it.',
      'Received it now, thanks',
      'Thanks for your patience.',
    ],
  },
  {
    intent: 'deposit.wrong_network',
    zh: [
      '我把 {coin} 用 {network} 网络充错了，还能找回吗？TxID {txid}',
      '您好，错误网络的充值需要技术团队人工找回，我已为您升级到二线处理。',
      '需要多久？',
      '找回已完成，资产已退回到您的账户，请查收。',
    ],
    en: [
      'I sent {coin} over the {network} network by mistake. Can it be recovered? TxID {txid}',
      'Hello, deposits on the wrong network need a manual recovery by our technical team. I have escalated it.',
      'How long will it take?',
      'The recovery is done and the funds are back in your account.',
    ],
    l2: true,
  },
  {
    intent: 'account.locked',
    zh: [
      '我的账户被锁定了，登录不了，邮箱 {email}',
      '您好，为了安全，账户在多次密码错误后会临时锁定，我已为您发送解锁邮件。',
      '已经解锁了',
      '好的，建议您开启谷歌验证器双重验证。',
    ],
    en: [
      'My account is locked and I cannot log in, email {email}',
      'Hello, accounts lock after several wrong passwords. I have sent you an unlock email.',
      'It is unlocked now',
      'Great. We recommend turning on two-factor authentication.',
    ],
  },
  {
    intent: 'account.2fa',
    zh: [
      '换了手机，谷歌验证器丢了，怎么重置双重验证？',
      '您好，请在安全中心提交重置申请并完成人脸识别，审核通过后即可重新绑定。',
    ],
    en: [
      'I changed my phone and lost my authenticator. How do I reset 2FA?',
      'Hello, please submit a reset request in the security center with a face check; once approved you can bind a new device.',
    ],
  },
  {
    intent: 'kyc',
    zh: [
      '实名认证提交三天了还在审核中，UID {uid}',
      '您好，目前审核量较大，您的资料已在处理中，预计 24 小时内完成。',
      '通过了，谢谢',
      '恭喜，您现在可以使用全部功能了。',
    ],
    en: [
      'My KYC verification has been under review for three days, UID {uid}',
      'Hello, reviews are busy this week. Yours is in progress and should finish within 24 hours.',
      'Approved now, thanks',
      'Congratulations, all features are now available.',
    ],
  },
  {
    intent: 'withdrawal.failed',
    zh: [
      '提币失败了，地址 {address}，显示地址无效',
      '您好，该地址与所选网络不匹配，请确认网络后重新提交。',
    ],
    en: [
      'My withdrawal failed, address {address}, it says invalid address',
      'Hello, that address does not match the selected network. Please check the network and try again.',
    ],
  },
  {
    intent: 'fees',
    zh: ['现货交易手续费是多少？VIP 有优惠吗？', '您好，现货手续费为 0.1%，VIP 等级越高费率越低。'],
    en: [
      'What are the spot trading fees? Is there a VIP discount?',
      'Hello, spot fees are 0.1% and go down with each VIP level.',
    ],
  },
  {
    intent: 'trading.order',
    zh: [
      '我的限价单一直没有成交，订单号 {order}',
      '您好，限价单需要市场价格达到您的挂单价才会成交，您可以改为市价单。',
    ],
    en: [
      'My limit order {order} has not been filled',
      'Hello, a limit order fills only when the market reaches your price. You can switch to a market order.',
    ],
  },
  {
    intent: 'support.complaint',
    zh: [
      '我要投诉，提币等了一整天都没人处理，UID {uid}',
      '非常抱歉给您带来不便，我已将您的问题升级并全程跟进。',
      '希望尽快解决',
      '已处理完成，再次向您致歉。',
    ],
    en: [
      'I want to complain: my withdrawal waited a whole day and nobody helped, UID {uid}',
      'I am very sorry for the trouble. I have escalated your case and will follow it to the end.',
      'Please solve it quickly',
      'It is done now. Again, our apologies.',
    ],
  },
  {
    intent: 'security.phishing',
    zh: [
      '有人冒充客服加我 Telegram 让我转账，这是官方的吗？',
      '您好，那不是官方账号，官方客服从不会要求您转账或提供助记词。请在核验页面查询官方渠道。',
    ],
    en: [
      'Someone claiming to be support contacted me on Telegram asking for a transfer. Is that you?',
      'Hello, that is not us. Official support never asks you to transfer funds or share a seed phrase. Check official channels on our verify page.',
    ],
  },
  {
    intent: 'fiat',
    zh: [
      '银行卡买币扣款了但没收到 USDT',
      '您好，第三方支付通道通常 30 分钟内到账，我已联系通道方核实。',
      '到了',
      '好的，感谢您的耐心。',
    ],
    en: [
      'My card was charged but I did not receive the USDT',
      'Hello, card purchases usually arrive within 30 minutes. I have asked the payment partner to check.',
      'Arrived',
      'Great, thanks for your patience.',
    ],
  },
];

/** What the assistant answers on its own: questions with an article behind them. */
const ASSISTANT_ANSWERS: Record<string, { zh: string; en: string }> = {
  fees: {
    zh: '现货交易手续费为 0.1%，持有平台币或 VIP 等级越高费率越低，详见《手续费说明》。',
    en: 'Spot fees are 0.1%, lower with higher VIP levels; see the article “Trading fees”.',
  },
  'account.2fa': {
    zh: '重置谷歌验证器：进入安全中心 → 双重验证 → 重置，并完成身份核验。',
    en: 'To reset your authenticator: Security center → Two-factor → Reset, then verify your identity.',
  },
  'withdrawal.failed': {
    zh: '提币地址无效通常是网络选择错误，请确认地址所属网络后重新提交。',
    en: 'An invalid withdrawal address usually means the wrong network; check it and try again.',
  },
  'trading.order': {
    zh: '限价单在市场价达到挂单价时成交，如需立即成交请使用市价单。',
    en: 'A limit order fills when the market reaches your price; use a market order to fill now.',
  },
  'security.phishing': {
    zh: '官方客服不会要求转账或索要助记词，请在官方渠道核验页面查询。',
    en: 'Official support never asks for transfers or seed phrases; check the official channels page.',
  },
};

const ZH_NAMES = ['王芳', '张伟', '刘洋', '陈静', '杨磊', '赵敏', '黄强', '周婷', '吴杰', '徐丽'];
const EN_NAMES = [
  'Olivia Brown',
  'Liam Smith',
  'Emma Wilson',
  'Noah Davis',
  'Ava Martin',
  'Lucas Lee',
];
const COINS = [
  { coin: 'USDT', network: 'TRC20' },
  { coin: 'USDT', network: 'ERC20' },
  { coin: 'BTC', network: 'Bitcoin' },
  { coin: 'ETH', network: 'Ethereum' },
  { coin: 'SOL', network: 'Solana' },
];

/** A small deterministic generator (mulberry32): the same demo on every install. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
    hex: (n: number) =>
      Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(''),
  };
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Busier in the (Beijing) daytime and evening: weights per UTC hour. */
const HOUR_WEIGHTS = [5, 6, 7, 7, 7, 6, 6, 5, 5, 4, 4, 5, 6, 7, 6, 4, 2, 1, 1, 1, 1, 2, 3, 4];

async function insertChunked<T>(tx: Tx, rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += 250) await insert(rows.slice(i, i + 250));
  void tx;
}

export async function seedDemoHistory(deps: Deps, ids: HistoryIds): Promise<number> {
  const rnd = random(20260101);
  const now = deps.clock.now();
  const hourTotal = HOUR_WEIGHTS.reduce((s, w) => s + w, 0);
  const pickHour = () => {
    let r = rnd.next() * hourTotal;
    for (let h = 0; h < 24; h++) {
      r -= HOUR_WEIGHTS[h] ?? 0;
      if (r <= 0) return h;
    }
    return 12;
  };

  return deps.db.transaction(async (tx) => {
    const [email, telegram] = await tx
      .insert(inboxes)
      .values([
        {
          channel: 'email' as const,
          name: 'support@demo-exchange.example',
          publicToken: 'demo-exchange-mailbox',
          identitySecret: rnd.hex(32),
          defaultTeamId: ids.teams.l1zh,
          settings: { address: 'support@demo-exchange.example', smtpInbound: true, imap: null },
        },
        {
          channel: 'telegram' as const,
          name: 'Demo Exchange Telegram bot',
          publicToken: 'demo-exchange-telegram',
          identitySecret: rnd.hex(32),
          defaultTeamId: ids.teams.l1zh,
          settings: { mode: 'webhook', botUsername: 'DemoExchangeSupportBot' },
        },
      ])
      .returning({ id: inboxes.id });
    if (!email || !telegram) throw new Error('demo inboxes not created');
    const channels = [
      { channel: 'widget', inboxId: ids.widgetInboxId, weight: 0.6 },
      { channel: 'email', inboxId: email.id, weight: 0.25 },
      { channel: 'telegram', inboxId: telegram.id, weight: 0.15 },
    ];

    // Customers: half write in Chinese, each with an exchange UID and an email.
    const contactRows = Array.from({ length: 90 }, (_, i) => {
      const zh = i % 2 === 0;
      const name = zh
        ? rnd.pick(ZH_NAMES)
        : `${rnd.pick(EN_NAMES)} ${String.fromCharCode(65 + (i % 26))}.`;
      return {
        exchangeUid: String(88_000_000 + i * 7919),
        name,
        email: `customer${i + 1}@mail.example`,
        telegramId: i % 5 === 0 ? String(5_100_000_000 + i) : null,
        locale: zh ? 'zh-CN' : 'en',
        vipLevel: i % 11 === 0 ? 3 : i % 4 === 0 ? 1 : 0,
        createdAt: new Date(now.getTime() - 40 * DAY),
        updatedAt: new Date(now.getTime() - 40 * DAY),
      };
    });
    const insertedContacts = await tx
      .insert(contacts)
      .values(contactRows)
      .returning({ id: contacts.id, locale: contacts.locale, vip: contacts.vipLevel });

    type Plan = {
      conversation: typeof conversations.$inferInsert & { id: string };
      messages: (typeof messages.$inferInsert)[];
      audits: (typeof auditEvents.$inferInsert)[];
      review?: typeof qualityReviews.$inferInsert;
    };
    const plans: Plan[] = [];
    const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    // Up to yesterday, and all of it settled: the live inbox and routing start empty.
    for (let daysAgo = 30; daysAgo >= 1; daysAgo--) {
      const weekday = new Date(startOfToday - daysAgo * DAY).getUTCDay();
      const count = rnd.int(10, 18) + (weekday === 1 ? 5 : 0) - (weekday === 0 ? 4 : 0);
      for (let k = 0; k < count; k++) {
        const createdAt = new Date(
          startOfToday -
            daysAgo * DAY +
            pickHour() * HOUR +
            rnd.int(0, 59) * MIN +
            rnd.int(0, 59) * 1000,
        );
        // Old enough that every reply and resolution lies in the past.
        if (createdAt.getTime() > now.getTime() - 12 * HOUR) continue;
        plans.push(planConversation(createdAt));
      }
    }

    function planConversation(createdAt: Date): Plan {
      const contact = rnd.pick(insertedContacts);
      const lang: Lang = contact.locale === 'zh-CN' ? 'zh-CN' : 'en';
      const template = rnd.pick(TEMPLATES);
      const r = rnd.next();
      const channel =
        r < (channels[0]?.weight ?? 0)
          ? channels[0]
          : r < (channels[0]?.weight ?? 0) + (channels[1]?.weight ?? 0)
            ? channels[1]
            : channels[2];
      if (!channel) throw new Error('no channel');
      const coin = rnd.pick(COINS);
      const fill = (text: string) =>
        text
          .replaceAll('{amount}', String(rnd.int(50, 5000)))
          .replaceAll('{coin}', coin.coin)
          .replaceAll('{network}', coin.network)
          .replaceAll('{txid}', `0x${rnd.hex(64)}`)
          .replaceAll('{uid}', String(88_000_000 + rnd.int(0, 89) * 7919))
          .replaceAll('{email}', `customer${rnd.int(1, 90)}@mail.example`)
          .replaceAll('{address}', `T${rnd.hex(33)}`)
          .replaceAll('{order}', String(rnd.int(10_000_000, 99_999_999)));
      const lines = (lang === 'zh-CN' ? template.zh : template.en).map(fill);
      const id = randomUUID();
      const age = now.getTime() - createdAt.getTime();
      const vip = contact.vip >= 2;
      const policyId = vip ? ids.policies.vip : ids.policies.standard;
      const firstTarget = (vip ? 5 : 30) * MIN;
      const resolutionTarget = (vip ? 8 * 60 : 24 * 60) * MIN;
      const teamId = template.l2
        ? ids.teams.l2
        : lang === 'zh-CN'
          ? ids.teams.l1zh
          : ids.teams.l1en;
      const agentId = template.l2
        ? ids.agents.l2
        : lang === 'zh-CN'
          ? ids.agents.zh
          : ids.agents.en;
      const assistantAnswer = ASSISTANT_ANSWERS[template.intent];
      const assistantFirst = channel.channel !== 'email' && rnd.chance(0.4);
      const assistantSolves = assistantFirst && assistantAnswer !== undefined && rnd.chance(0.7);

      const msgs: Plan['messages'] = [];
      const audits: Plan['audits'] = [];
      let at = createdAt.getTime();
      const push = (
        senderType: 'contact' | 'agent' | 'assistant' | 'system',
        text: string,
        extra: Partial<typeof messages.$inferInsert> = {},
      ) => {
        msgs.push({
          conversationId: id,
          seq: msgs.length + 1,
          senderType,
          senderId: senderType === 'agent' ? agentId : senderType === 'contact' ? contact.id : null,
          text,
          inboxId: senderType === 'contact' ? channel.inboxId : null,
          createdAt: new Date(at),
          ...extra,
        });
      };
      const event = (name: string, data: Record<string, unknown> = {}) =>
        push('system', name, { private: true, meta: { kind: 'event', event: name, ...data } });

      push('contact', lines[0] ?? '');
      const base: Plan['conversation'] = {
        id,
        inboxId: channel.inboxId,
        channel: channel.channel,
        contactId: contact.id,
        intent: template.intent,
        language: lang,
        subject: (lines[0] ?? '').slice(0, 120),
        priority: vip ? 'high' : 'normal',
        slaPolicyId: policyId,
        queuedAt: createdAt,
        createdAt,
      };

      if (assistantFirst) {
        at += rnd.int(2, 6) * 1000;
        if (assistantSolves && assistantAnswer) {
          push('assistant', lang === 'zh-CN' ? assistantAnswer.zh : assistantAnswer.en, {
            meta: { intent: template.intent, handoff: false },
          });
          // The customer says thanks or goes quiet: resolved without a person.
          at += rnd.int(10, 180) * MIN;
          event('status_resolved', { from: 'open', to: 'resolved' });
          return {
            conversation: {
              ...base,
              handler: 'assistant',
              teamId: null,
              status: 'resolved',
              resolvedAt: new Date(at),
              lastMessageAt: new Date(at),
              lastCustomerMessageAt: createdAt,
              updatedAt: new Date(at),
              lastSeq: msgs.length,
            },
            messages: msgs,
            audits,
          };
        }
        const reason =
          template.intent === 'support.complaint'
            ? 'complaint'
            : rnd.pick([
                'human_request',
                'human_request',
                'not_understood',
                'unresolved_flow',
                'vip',
              ]);
        push(
          'assistant',
          lang === 'zh-CN'
            ? '正在为您转接人工客服，请稍候。'
            : 'I am passing you to a colleague, one moment please.',
          { meta: { intent: template.intent, handoff: true } },
        );
        audits.push({
          at: new Date(at),
          actorType: 'system',
          action: 'conversation.handoff',
          targetType: 'conversation',
          targetId: id,
          data: { reasons: [reason], intent: template.intent },
        });
        base.queuedAt = new Date(at);
      }

      // Queue wait, then the first reply (sometimes late: an SLA breach).
      const queuedAt = (base.queuedAt as Date).getTime();
      const late = rnd.chance(0.12);
      const wait = late
        ? firstTarget + rnd.int(5, 90) * MIN
        : rnd.int(1, Math.max(2, firstTarget / MIN - 3)) * MIN;
      const assignedAt = queuedAt + Math.floor(wait * 0.6);
      at = assignedAt;
      event('assigned', { agentId });
      at = queuedAt + wait;
      if (late) {
        const due = createdAt.getTime() + firstTarget;
        const saved = at;
        at = due;
        event('sla_breached', {
          target: 'firstResponse',
          dueAt: new Date(due).toISOString(),
          policyId,
        });
        audits.push({
          at: new Date(due),
          actorType: 'system',
          action: 'sla.breached',
          targetType: 'conversation',
          targetId: id,
          data: { target: 'firstResponse', dueAt: new Date(due).toISOString() },
        });
        at = saved;
      }
      push('agent', lines[1] ?? '');
      const firstReplyAt = new Date(at);
      let lastCustomer = createdAt.getTime();
      if (lines[2]) {
        const next = at + rnd.int(5, 240) * MIN;
        if (next < now.getTime()) {
          at = next;
          push('contact', lines[2]);
          lastCustomer = at;
          at += rnd.int(2, 50) * MIN;
          if (at < now.getTime() && lines[3]) push('agent', lines[3]);
        }
      }
      // Long cases (L2, complaints) take longer; some miss the resolution target.
      const slow = template.l2 || template.intent === 'support.complaint';
      let resolveAt = at + rnd.int(5, slow ? 1800 : 240) * MIN;
      if (rnd.chance(0.05))
        resolveAt = createdAt.getTime() + resolutionTarget + rnd.int(30, 600) * MIN;
      resolveAt = Math.max(at + MIN, Math.min(resolveAt, now.getTime() - 10 * MIN));
      const resolved = true;
      if (resolved && resolveAt > createdAt.getTime() + resolutionTarget) {
        const due = createdAt.getTime() + resolutionTarget;
        const saved = at;
        at = due;
        event('sla_breached', {
          target: 'resolution',
          dueAt: new Date(due).toISOString(),
          policyId,
        });
        at = saved;
      }
      let csatScore: number | null = null;
      let needsReview = false;
      let review: Plan['review'];
      if (resolved) {
        at = resolveAt;
        event('status_resolved', { from: 'open', to: 'resolved' });
        if (rnd.chance(0.65)) {
          const breached = late || resolveAt > createdAt.getTime() + resolutionTarget;
          const roll = rnd.next();
          csatScore = breached
            ? roll < 0.35
              ? 1
              : roll < 0.6
                ? 2
                : roll < 0.8
                  ? 3
                  : 4
            : roll < 0.04
              ? 2
              : roll < 0.12
                ? 3
                : roll < 0.4
                  ? 4
                  : 5;
          needsReview = csatScore <= 2 || template.intent === 'support.complaint';
          // The supervisor has gone through most of the older ones.
          if (needsReview && age > 3 * DAY && rnd.chance(0.7)) {
            needsReview = false;
            const s = (lo: number, hi: number) => rnd.int(lo, hi);
            review = {
              conversationId: id,
              agentId,
              reviewerId: ids.agents.supervisor,
              responseSpeed: late ? s(1, 3) : s(3, 5),
              attitude: s(3, 5),
              resolution: s(2, 5),
              followUp: s(2, 5),
              accuracy: s(3, 5),
              comment:
                lang === 'zh-CN'
                  ? rnd.pick([
                      '回复及时，但跟进不够主动。',
                      '态度很好，需要更准确地说明到账时间。',
                      '处理规范。',
                    ])
                  : rnd.pick([
                      'Friendly, but the follow-up came late.',
                      'Correct answer; explain the waiting time earlier.',
                      'Handled by the book.',
                    ]),
              createdAt: new Date(resolveAt + rnd.int(1, 48) * HOUR),
            };
          }
        }
      }
      const status = resolved ? (age > 7 * DAY && rnd.chance(0.5) ? 'closed' : 'resolved') : 'open';
      return {
        conversation: {
          ...base,
          handler: 'human',
          teamId,
          tier: template.l2 ? 'L2' : 'L1',
          assigneeId: agentId,
          assignedAt: new Date(assignedAt),
          firstAgentReplyAt: firstReplyAt,
          lastAgentReplyAt: new Date(Math.max(firstReplyAt.getTime(), at)),
          lastCustomerMessageAt: new Date(lastCustomer),
          lastMessageAt: new Date(at),
          status,
          resolvedAt: resolved ? new Date(resolveAt) : null,
          csatRequestedAt: resolved ? new Date(resolveAt) : null,
          csatScore,
          needsReview,
          updatedAt: new Date(at),
          lastSeq: msgs.length,
        },
        messages: msgs,
        audits,
        ...(review ? { review } : {}),
      };
    }

    // Events were written at their own time: number every conversation's messages in time order.
    for (const p of plans) {
      p.messages.sort((a, b) => (a.createdAt as Date).getTime() - (b.createdAt as Date).getTime());
      p.messages.forEach((m, i) => {
        m.seq = i + 1;
      });
    }
    // Ticket numbers follow the order the conversations were opened.
    plans.sort(
      (a, b) =>
        (a.conversation.createdAt as Date).getTime() - (b.conversation.createdAt as Date).getTime(),
    );
    await insertChunked(tx, plans, (chunk) =>
      tx.insert(conversations).values(chunk.map((p) => p.conversation)),
    );
    await insertChunked(
      tx,
      plans.flatMap((p) => p.messages),
      (chunk) => tx.insert(messages).values(chunk),
    );
    const audits = plans.flatMap((p) => p.audits);
    if (audits.length > 0)
      await insertChunked(tx, audits, (chunk) => tx.insert(auditEvents).values(chunk));
    const reviews = plans.flatMap((p) => (p.review ? [p.review] : []));
    if (reviews.length > 0)
      await insertChunked(tx, reviews, (chunk) => tx.insert(qualityReviews).values(chunk));
    return plans.length;
  });
}
