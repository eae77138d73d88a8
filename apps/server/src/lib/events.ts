import type { TConversationChanged, TMessage, TQueuePosition } from '@kefu/shared';

/**
 * What domains publish after a commit. Ids and small deltas; the realtime adapter maps each
 * event to Socket.IO rooms. Domain code never sees Socket.IO.
 */
export type Audience = {
  conversationId: string;
  contactId: string;
  teamId: string | null;
  assigneeId: string | null;
};

export type DomainEvent =
  | {
      type: 'message.created';
      audience: Audience;
      message: TMessage;
      /** The customer connection the message came from: it has the message in its ack already. */
      fromConnection?: string;
    }
  | { type: 'conversation.created'; audience: Audience; number: number }
  | {
      type: 'conversation.changed';
      audience: Audience;
      change: TConversationChanged;
      previousAssigneeId?: string | null;
    }
  | { type: 'queue.position'; audience: Audience; position: TQueuePosition }
  | {
      type: 'delivery.changed';
      audience: Audience;
      messageId: string;
      status: 'sent' | 'delivered' | 'failed';
    }
  | {
      type: 'agent.notification';
      agentId: string;
      kind: 'assignment' | 'mention' | 'sla_warning' | 'sla_breach';
      conversationId: string;
      number: number;
    }
  /**
   * An agent's role, teams, account or sessions changed: every node checks that agent's open
   * console sockets again (ended sessions are disconnected, rooms follow the role and teams).
   */
  | { type: 'agent.access_changed'; agentId: string }
  | { type: 'knowledge.changed'; articleId: string }
  | { type: 'assistant.changed' }
  /** An announcement was published, changed or resolved: open widgets refresh their banner. */
  | { type: 'announcements.changed' }
  | {
      type: 'supervisors.notification';
      kind: 'sla_breach' | 'review';
      conversationId: string;
      number: number;
    };

export type Publish = (event: DomainEvent) => void;

/** In-process fan-out; the realtime gateway (and tests) subscribe. */
export function createEventBus(): {
  publish: Publish;
  subscribe: (listener: (event: DomainEvent) => void) => () => void;
} {
  const listeners = new Set<(event: DomainEvent) => void>();
  return {
    publish: (event) => {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // A listener's failure must not undo a committed change.
        }
      }
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
