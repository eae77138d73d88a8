import type { transcriptEn } from './transcript.en.ts';

/** 会话中“将对话记录发送给客户”操作的控制台文案，简体中文。 */
export const transcriptZhCN: typeof transcriptEn = {
  action: '将对话记录发送到客户邮箱',
  sent: '对话记录已发送至 {{email}}。',
};
