import type { Config } from '../config.ts';
import type { KnowledgeIndex } from '../knowledge/search-index.ts';
import { type Assistant, type AssistantDeps, createAssistant } from './assistant.ts';
import { createDemoConnector, createHttpConnector, type ExchangeConnector } from './connector.ts';
import { currentClassifier, customIntent } from './custom-intents.ts';
import { detectHandoff } from './handoff.ts';
import { createLlmClient, type LlmClient } from './llm.ts';

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
  /** Takes precedence over `llm`: a client that follows the admin's settings. */
  llmClient?: LlmClient;
  checkChannel?: AssistantDeps['checkChannel'];
}): Assistant {
  // Trained on first use, so a node starts serving before the model is ready.
  return createAssistant({
    kb: options.kb,
    classify: (text) => {
      const p = currentClassifier().classify(text);
      return { intent: p.intent, confidence: p.confidence };
    },
    detectHandoff: (text, intent) => {
      const decision = detectHandoff(text, intent);
      // An admin's intent can send every such conversation to people.
      if (customIntent(intent)?.handoff === 'always' && !decision.handoff)
        return { handoff: true, reasons: ['custom_intent'] };
      return decision;
    },
    customReply: (intent, locale) => {
      const found = customIntent(intent);
      if (!found) return null;
      return found.replies[locale] ?? found.replies[locale === 'en' ? 'zh-CN' : 'en'] ?? null;
    },
    connector: options.connector,
    publicUrl: options.publicUrl,
    now: options.now,
    llm: options.llmClient ?? (options.llm ? createLlmClient(options.llm) : null),
    ...(options.checkChannel ? { checkChannel: options.checkChannel } : {}),
  });
}
