import { demoKnowledgeIndex } from '../apps/server/src/assistant/ask.ts';
import { buildAssistant } from '../apps/server/src/assistant/build.ts';
import { createDemoConnector } from '../apps/server/src/assistant/connector.ts';
import { getIntentClassifier } from '../apps/server/src/assistant/intent-classifier.ts';
import { guardSecrets } from '../apps/server/src/safety/secret-guard.ts';
import { percentile, type Row, rng, round } from './lib.ts';

/** Assistant reply latency without an LLM: secret guard + intent + handoff + search + flow + reply. */
export async function* run(): AsyncGenerator<Row> {
  const t0 = performance.now();
  getIntentClassifier();
  const trainMs = performance.now() - t0;
  const assistant = buildAssistant({
    kb: demoKnowledgeIndex(),
    connector: createDemoConnector(),
    publicUrl: 'http://localhost:3000',
    now: () => new Date(),
  });
  const messages = [
    'Hi, my USDT deposit on TRC20 has not arrived after an hour',
    'withdrawal still under review, when will it be sent?',
    'I lost my phone and cannot get my Google Authenticator code',
    'my account is locked after too many password attempts',
    'what are the maker and taker fees for VIP 1?',
    'is @DemoExchange_Support on telegram your official account?',
    '充值 USDT 一直没到账，交易哈希 a3f1c9e2b7d4058e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70',
    '提币审核要多久',
    '谷歌验证器丢了怎么重置',
    '转人工',
    '实名认证被拒绝了，名字不一致',
    '我想导出去年的交易记录',
  ];
  const random = rng(7);
  for (let i = 0; i < 30; i++)
    await assistant.answer({ text: messages[i % messages.length] as string });
  const samples: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const text = messages[Math.floor(random() * messages.length)] as string;
    const start = performance.now();
    const guard = guardSecrets(text);
    await assistant.answer({
      text: guard.text,
      redactionKinds: guard.redactions.map((r) => r.kind),
    });
    samples.push(performance.now() - start);
  }
  const context = { replies: samples.length, llm: false };
  yield {
    metric: 'assistant.reply_p50_ms',
    value: round(percentile(samples, 50)),
    unit: 'ms',
    mode: 'embedded',
    ...context,
  };
  yield {
    metric: 'assistant.reply_p99_ms',
    value: round(percentile(samples, 99)),
    unit: 'ms',
    mode: 'embedded',
    ...context,
  };
  yield { metric: 'assistant.train_ms', value: round(trainMs, 0), unit: 'ms', mode: 'embedded' };
}
