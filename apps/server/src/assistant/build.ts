import type { Config } from '../config.ts';
import type { KnowledgeIndex } from '../knowledge/search-index.ts';
import { type Assistant, type AssistantDeps, createAssistant } from './assistant.ts';
import { createDemoConnector, createHttpConnector, type ExchangeConnector } from './connector.ts';
import { detectHandoff } from './handoff.ts';
import { getIntentClassifier } from './intent-classifier.ts';
import { createLlmClient } from './llm.ts';

export function connectorFor(
  config: Pick<Config, 'connectorUrl' | 'connectorSecret'>,
  now: () => Date,
): ExchangeConnector {
  return config.connectorUrl && config.connectorSecret
    ? createHttpConnector({ baseUrl: config.connectorUrl, secret: config.connectorSecret, now })
    : createDemoConnector(now);
}

/** The assistant of a node: the classifier trained on the shipped examples, this node's index, the connector. */
export function buildAssistant(options: {
  kb: KnowledgeIndex;
  connector: ExchangeConnector;
  publicUrl: string;
  now: () => Date;
  llm?: Config['llm'];
  checkChannel?: AssistantDeps['checkChannel'];
}): Assistant {
  // Trained on first use, so a node starts serving before the model is ready.
  return createAssistant({
    kb: options.kb,
    classify: (text) => {
      const p = getIntentClassifier().classify(text);
      return { intent: p.intent, confidence: p.confidence };
    },
    detectHandoff: (text, intent) => detectHandoff(text, intent),
    connector: options.connector,
    publicUrl: options.publicUrl,
    now: options.now,
    llm: options.llm ? createLlmClient(options.llm) : null,
    ...(options.checkChannel ? { checkChannel: options.checkChannel } : {}),
  });
}
