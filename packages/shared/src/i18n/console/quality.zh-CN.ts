import type { qualityEn } from './quality.en.ts';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** 质检的控制台文案（简体中文）。 */
export const qualityZhCN: Widen<typeof qualityEn> = {
  title: '质检',
  intro: '低分或投诉的会话在这里等待质检。请按每项标准给客服的处理打 1–5 分。',
  queue: '待质检',
  queueEmpty: '没有待质检的会话。',
  history: '质检记录',
  historyEmpty: '还没有质检记录。',
  agentFilter: '客服',
  allAgents: '全部客服',
  review: '质检',
  reviewTitle: '质检工单 #{{number}}',
  open: '打开会话',
  criteria: {
    responseSpeed: '响应速度',
    attitude: '服务态度',
    resolution: '问题解决',
    followUp: '跟进',
    accuracy: '准确性',
  },
  hints: {
    responseSpeed: '及时回复和跟进，没有让客户久等',
    attitude: '礼貌、耐心、有同理心',
    resolution: '客户的问题得到解决',
    followUp: '直到结束都让客户了解进展',
    accuracy: '信息正确，流程规范，没有有风险的建议',
  },
  comment: '评语',
  commentPlaceholder: '做得好的地方和需要改进的地方',
  submit: '保存质检',
  saved: '质检已保存，会话已移出队列。',
  columns: {
    ticket: '工单',
    csat: '满意度',
    intent: '意图',
    agent: '客服',
    score: '得分',
    reviewer: '质检人',
    at: '质检时间',
    comment: '评语',
  },
  noAgent: '无客服',
  average: '平均 {{score}}',
};
