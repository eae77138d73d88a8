import type { inboxSearchEn } from './inbox-search.en.ts';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** 收件箱搜索与筛选的控制台文案（简体中文）。 */
export const inboxSearchZhCN: Widen<typeof inboxSearchEn> = {
  search: '搜索会话',
  searchPlaceholder: '搜索：关键词、提币、工单号、UID、邮箱、TxID…',
  filters: '筛选',
  filtersActive: '筛选（{{count}}）',
  channel: '渠道',
  priority: '优先级',
  language: '语言',
  intent: '意图',
  intentPlaceholder: '例如 deposit.not_credited',
  label: '标签',
  labelPlaceholder: '例如 usdt',
  vip: '仅 VIP 客户',
  any: '不限',
  clear: '清除筛选',
  noResultsTitle: '没有匹配的会话',
  noResultsBody: '此视图中没有符合搜索和筛选条件的会话。请换个关键词或清除筛选。',
};
