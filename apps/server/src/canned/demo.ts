import type { TCreateCannedResponse } from '@kefu/shared';
import { inArray } from 'drizzle-orm';
import { type Deps, systemActor } from '../deps.ts';
import { createCannedResponse } from './canned-responses.ts';
import { cannedResponses } from './schema.ts';

/** The replies an exchange's support team types all day, in both languages. */
export const DEMO_CANNED_RESPONSES: TCreateCannedResponse[] = [
  {
    shortcut: 'greeting',
    title: 'Greeting 问候',
    texts: {
      en: 'Hello {{customer.name}}, thank you for contacting {{exchange.name}} support. My name is {{agent.name}}. How can I help you today?',
      'zh-CN':
        '您好{{customer.name}}，感谢您联系{{exchange.name}}客服，我是{{agent.name}}，请问有什么可以帮您？',
    },
  },
  {
    shortcut: 'txid',
    title: 'Ask for the TxID 索取交易哈希',
    texts: {
      en: 'To look into your deposit, please send us:\n1. the transaction hash (TxID),\n2. the coin and the network you used (for example USDT on TRC20),\n3. the amount.\nYou find the TxID in the withdrawal history of the wallet or platform you sent from. Please never send your seed phrase, private key or password: we will never ask for them.',
      'zh-CN':
        '为了查询您的充值，请提供：\n1. 交易哈希（TxID）；\n2. 币种和所用网络（例如 USDT-TRC20）；\n3. 金额。\nTxID 可在转出钱包或平台的提币记录中找到。请勿发送助记词、私钥或密码，我们绝不会索要这些信息。',
    },
  },
  {
    shortcut: 'withdrawal-review',
    title: 'Withdrawal under review 提币审核中',
    texts: {
      en: 'Your withdrawal is being reviewed by our risk team, which usually takes up to 24 hours. Please do not submit it again: the funds stay safe in your account during the review. We will update you in ticket #{{ticket.number}}.',
      'zh-CN':
        '您的提币正在由风控团队审核，通常需要 24 小时以内。请勿重复提交，审核期间资金安全保留在您的账户中。审核结果将在工单 #{{ticket.number}} 中通知您。',
    },
  },
  {
    shortcut: '2fa-reset',
    title: 'Reset 2FA 重置双重验证',
    texts: {
      en: 'To reset your two-factor authentication:\n1. Sign in on the {{exchange.name}} website and open Security > Two-factor authentication > Reset.\n2. Complete the identity check (ID document and a selfie).\n3. The review takes 1–3 business days; we will email you the result.\nFor your safety, withdrawals are paused for 24 hours after a reset. {{exchange.name}} staff will never ask for your password, 2FA codes or seed phrase.',
      'zh-CN':
        '重置双重验证（2FA）的步骤：\n1. 登录{{exchange.name}}官网，进入「安全中心 > 双重验证 > 重置」；\n2. 完成身份验证（证件照片及自拍）；\n3. 审核需要 1–3 个工作日，结果将通过邮件通知您。\n为保障资产安全，重置后 24 小时内暂停提币。{{exchange.name}}工作人员绝不会索要您的密码、验证码或助记词。',
    },
  },
  {
    shortcut: 'closing',
    title: 'Closing 结束语',
    texts: {
      en: 'Is there anything else I can help you with? If not, I will close ticket #{{ticket.number}}; you can reply here at any time to reopen it. Thank you for choosing {{exchange.name}}!',
      'zh-CN':
        '请问还有其他可以帮您的吗？如无其他问题，我将关闭工单 #{{ticket.number}}，之后您随时回复即可重新打开。感谢您选择{{exchange.name}}！',
    },
  },
];

/** Adds the demo canned responses whose shortcut is still free. Returns how many it added. */
export async function seedDemoCannedResponses(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  const existing = await deps.db
    .select({ shortcut: cannedResponses.shortcut })
    .from(cannedResponses)
    .where(
      inArray(
        cannedResponses.shortcut,
        DEMO_CANNED_RESPONSES.map((c) => c.shortcut),
      ),
    );
  const taken = new Set(existing.map((r) => r.shortcut));
  let added = 0;
  for (const canned of DEMO_CANNED_RESPONSES) {
    if (taken.has(canned.shortcut)) continue;
    await createCannedResponse(deps, systemActor, canned);
    added++;
  }
  return added;
}
