/**
 * Kefu's authorization matrix: for every route of the OpenAPI document and every socket event of
 * the catalog, what each party may do on resources that are not theirs to begin with (customer
 * A's conversation, its attachment, a draft article, the agent's team). Checked by
 * authz.reliability.ts against a running server; a route or event missing here fails that test.
 *
 * - allow: gets past authorization (the answer may still be a 4xx about the input);
 * - deny: 401 or 403 (the caller may know the thing exists, e.g. an admin-only setting);
 * - hidden: 404, as if it did not exist (another customer's ticket, a ticket outside the agent's
 *   teams): the caller must not learn that it exists.
 */
export const PARTIES = [
  'anonymous',
  'customerB',
  'customerA',
  'otherTeamAgent',
  'agent',
  'supervisor',
  'admin',
] as const;
export type Party = (typeof PARTIES)[number];
export type Expectation = 'allow' | 'deny' | 'hidden';
type Row = readonly [
  Expectation,
  Expectation,
  Expectation,
  Expectation,
  Expectation,
  Expectation,
  Expectation,
];

const A = 'allow';
const D = 'deny';
const H = 'hidden';

// Columns: anonymous, customer B, customer A, agent of another team, agent, supervisor, admin.
export const AUTHZ_MATRIX: Record<string, Row> = {
  'POST /api/v1/auth/login': [A, A, A, A, A, A, A],
  'POST /api/v1/auth/logout': [D, D, D, A, A, A, A],
  'GET /api/v1/auth/me': [D, D, D, A, A, A, A],
  'GET /api/v1/auth/sessions': [D, D, D, A, A, A, A],
  'DELETE /api/v1/auth/sessions/{sessionId}': [D, D, D, A, A, A, A],
  'POST /api/v1/auth/password': [D, D, D, A, A, A, A],
  'PUT /api/v1/auth/availability': [D, D, D, A, A, A, A],
  'POST /api/v1/auth/2fa/setup': [D, D, D, A, A, A, A],
  'POST /api/v1/auth/2fa/confirm': [D, D, D, A, A, A, A],
  'POST /api/v1/auth/2fa/disable': [D, D, D, A, A, A, A],
  'POST /api/v1/auth/2fa/recovery-codes': [D, D, D, A, A, A, A],
  'GET /api/v1/agents': [D, D, D, A, A, A, A],
  'POST /api/v1/agents': [D, D, D, D, D, D, A],
  'GET /api/v1/agents/{id}': [D, D, D, A, A, A, A],
  'PATCH /api/v1/agents/{id}': [D, D, D, D, D, D, A],
  'POST /api/v1/agents/{id}/reset-password': [D, D, D, D, D, D, A],
  'POST /api/v1/agents/{id}/unlock': [D, D, D, D, D, A, A],
  'POST /api/v1/agents/{id}/2fa/reset': [D, D, D, D, D, D, A],
  'GET /api/v1/agents/{id}/sessions': [D, D, D, D, D, D, A],
  'DELETE /api/v1/agents/{id}/sessions': [D, D, D, D, D, D, A],
  'DELETE /api/v1/agents/{id}/sessions/{sessionId}': [D, D, D, D, D, D, H], // the session id is made up: 404 for the admin
  'GET /api/v1/teams': [D, D, D, A, A, A, A],
  'POST /api/v1/teams': [D, D, D, D, D, D, A],
  'GET /api/v1/teams/{id}': [D, D, D, A, A, A, A],
  'PATCH /api/v1/teams/{id}': [D, D, D, D, D, D, A],
  'GET /api/v1/settings/security': [D, D, D, D, D, D, A],
  'PUT /api/v1/settings/security': [D, D, D, D, D, D, A],
  'GET /api/v1/audit': [D, D, D, D, D, A, A],
  'GET /api/v1/conversations': [D, D, D, A, A, A, A],
  'GET /api/v1/conversations/{id}': [D, D, D, H, A, A, A],
  'PATCH /api/v1/conversations/{id}': [D, D, D, H, A, A, A],
  'GET /api/v1/conversations/{id}/messages': [D, D, D, H, A, A, A],
  'POST /api/v1/conversations/{id}/messages': [D, D, D, H, A, A, A],
  'GET /api/v1/conversations/{id}/copilot': [D, D, D, H, A, A, A],
  'POST /api/v1/conversations/{id}/assign': [D, D, D, H, A, A, A],
  'POST /api/v1/conversations/{id}/status': [D, D, D, H, A, A, A],
  'POST /api/v1/conversations/{id}/transfer': [D, D, D, H, A, A, A],
  'POST /api/v1/conversations/{id}/escalate': [D, D, D, H, A, A, A],
  'POST /api/v1/conversations/{id}/merge': [D, D, D, H, A, A, A],
  'GET /api/v1/contacts': [D, D, D, A, A, A, A],
  'GET /api/v1/contacts/{id}': [D, D, D, A, A, A, A], // the contact directory is shared by all agents
  'PATCH /api/v1/contacts/{id}': [D, D, D, A, A, A, A],
  'POST /api/v1/contacts/{id}/merge': [D, D, D, D, D, A, A],
  'GET /api/v1/inboxes': [D, D, D, D, D, D, A],
  'POST /api/v1/inboxes': [D, D, D, D, D, D, A],
  'POST /api/v1/widget/session': [A, A, A, A, A, A, A],
  'GET /api/v1/customer/conversations': [D, A, A, D, D, D, D],
  'GET /api/v1/customer/conversations/{id}/messages': [D, H, A, D, D, D, D],
  'POST /api/v1/customer/messages': [D, H, A, D, D, D, D], // body names customer A's conversation
  'POST /api/v1/channels/email': [D, D, D, D, D, D, A],
  'GET /api/v1/channels/email': [D, D, D, D, D, D, A],
  'GET /api/v1/channels/email/{id}': [D, D, D, D, D, D, A],
  'POST /api/v1/channels/telegram': [D, D, D, D, D, D, A],
  'POST /api/v1/channels/telegram/{inboxId}/webhook': [D, D, D, D, D, D, D],
  'POST /api/v1/channels/api': [D, D, D, D, D, D, A],
  'POST /api/v1/channels/api/contacts': [D, D, D, D, D, D, D],
  'POST /api/v1/channels/api/conversations': [D, D, D, D, D, D, D],
  'POST /api/v1/channels/api/conversations/{id}/messages': [D, D, D, D, D, D, D],
  'GET /api/v1/channels/api/conversations/{id}/messages': [D, D, D, D, D, D, D],
  'GET /api/v1/official-channels': [D, D, D, D, D, A, A],
  'POST /api/v1/official-channels': [D, D, D, D, D, D, A],
  'GET /api/v1/official-channels/{id}': [D, D, D, D, D, A, A],
  'PATCH /api/v1/official-channels/{id}': [D, D, D, D, D, D, A],
  'DELETE /api/v1/official-channels/{id}': [D, D, D, D, D, D, A],
  'POST /api/v1/verify': [A, A, A, A, A, A, A],
  'GET /api/v1/kb/search': [A, A, A, A, A, A, A],
  'GET /api/v1/kb/articles/{locale}/{slug}': [H, H, H, H, H, H, H], // a draft article is not public, for anyone
  'POST /api/v1/kb/articles/{id}/feedback': [H, H, H, H, H, H, H], // no feedback on a draft article
  'GET /api/v1/articles': [D, D, D, A, A, A, A],
  'POST /api/v1/articles': [D, D, D, D, D, A, A],
  'GET /api/v1/articles/{id}': [D, D, D, A, A, A, A],
  'PATCH /api/v1/articles/{id}': [D, D, D, D, D, A, A],
  'DELETE /api/v1/articles/{id}': [D, D, D, D, D, A, H], // the supervisor deleted it first: 404 for the admin
  'GET /api/v1/articles/{id}/revisions': [D, D, D, A, A, A, A],
  'GET /api/v1/articles/export': [D, D, D, D, D, A, A],
  'POST /api/v1/articles/import': [D, D, D, D, D, A, A],
  'GET /api/v1/assistant/settings': [D, D, D, D, D, A, A],
  'PUT /api/v1/assistant/settings': [D, D, D, D, D, D, A],
  'GET /api/v1/assistant/intents': [D, D, D, A, A, A, A],
  'POST /api/v1/assistant/intents': [D, D, D, D, D, D, A],
  'PATCH /api/v1/assistant/intents/{id}': [D, D, D, D, D, D, A],
  'DELETE /api/v1/assistant/intents/{id}': [D, D, D, D, D, D, A],
  'POST /api/v1/tickets/lookup/start': [A, A, A, A, A, A, A],
  'POST /api/v1/tickets/lookup/verify': [A, A, A, A, A, A, A],
  'GET /api/v1/tickets/{number}': [D, H, A, D, D, D, D],
  'POST /api/v1/customer/conversations/{id}/csat': [D, H, A, D, D, D, D],
  'GET /api/v1/reviews/queue': [D, D, D, D, D, A, A],
  'POST /api/v1/reviews/{id}/complete': [D, D, D, D, D, A, A],
  'GET /api/v1/webhooks': [D, D, D, D, D, D, A],
  'POST /api/v1/webhooks': [D, D, D, D, D, D, A],
  'PATCH /api/v1/webhooks/{id}': [D, D, D, D, D, D, A],
  'DELETE /api/v1/webhooks/{id}': [D, D, D, D, D, D, A],
  'GET /api/v1/webhooks/{id}/deliveries': [D, D, D, D, D, D, A],
  'POST /api/v1/webhooks/{id}/test': [D, D, D, D, D, D, A],
  'GET /api/v1/canned-responses': [D, D, D, A, A, A, A],
  'POST /api/v1/canned-responses': [D, D, D, D, D, A, A],
  'GET /api/v1/canned-responses/{id}': [D, D, D, A, A, A, A],
  'PATCH /api/v1/canned-responses/{id}': [D, D, D, D, D, A, A],
  'DELETE /api/v1/canned-responses/{id}': [D, D, D, D, D, A, A],
  'POST /api/v1/canned-responses/{id}/render': [D, D, D, A, A, A, A],
  'GET /api/v1/sla-policies': [D, D, D, A, A, A, A],
  'POST /api/v1/sla-policies': [D, D, D, D, D, A, A],
  'PATCH /api/v1/sla-policies/{id}': [D, D, D, D, D, A, A],
  'DELETE /api/v1/sla-policies/{id}': [D, D, D, D, D, A, A],
  'PUT /api/v1/teams/{id}/business-hours': [D, D, D, D, D, D, A],
  'GET /healthz': [A, A, A, A, A, A, A],
  'GET /readyz': [A, A, A, A, A, A, A],
  'POST /api/v1/customer/attachments': [D, A, A, D, D, D, D],
  'POST /api/v1/conversations/{id}/attachments': [D, D, D, H, A, A, A],
  'GET /api/v1/attachments/{id}': [D, H, A, H, A, A, A],
  // Transcripts, announcements, widget and channel settings, previews.
  'POST /api/v1/conversations/{id}/transcript': [D, D, D, H, A, A, A],
  'POST /api/v1/customer/conversations/{id}/transcript': [D, H, A, D, D, D, D],
  'POST /api/v1/customer/email': [D, A, A, D, D, D, D], // each customer sets their own
  'GET /api/v1/customer/widget-config': [D, A, A, D, D, D, D],
  'POST /api/v1/customer/pre-chat': [D, A, A, D, D, D, D],
  'GET /api/v1/widget/announcements': [A, A, A, A, A, A, A],
  'GET /api/v1/announcements': [D, D, D, A, A, A, A],
  'POST /api/v1/announcements': [D, D, D, D, D, D, A],
  'PATCH /api/v1/announcements/{id}': [D, D, D, D, D, D, A],
  'POST /api/v1/announcements/{id}/resolve': [D, D, D, D, D, D, A],
  'GET /api/v1/widget-inboxes': [D, D, D, D, D, D, A],
  'PATCH /api/v1/widget-inboxes/{id}': [D, D, D, D, D, D, A],
  'POST /api/v1/widget-inboxes/{id}/identity-secret': [D, D, D, D, D, D, A],
  'PATCH /api/v1/channels/email/{id}': [D, D, D, D, D, D, A],
  'GET /api/v1/channels/telegram': [D, D, D, D, D, D, A],
  'PATCH /api/v1/channels/telegram/{inboxId}': [D, D, D, D, D, D, A],
  'GET /api/v1/channels/api': [D, D, D, D, D, D, A],
  'POST /api/v1/articles/preview': [D, D, D, D, D, A, A],
  'GET /api/v1/assistant/llm': [D, D, D, D, D, D, A],
  'PUT /api/v1/assistant/llm': [D, D, D, D, D, D, A],
  'POST /api/v1/canned-responses/preview': [D, D, D, A, A, A, A],
  'GET /api/v1/teams/{id}/business-hours': [D, D, D, D, D, A, A],
  // Inbox counts, reports and quality reviews.
  'GET /api/v1/conversations/counts': [D, D, D, A, A, A, A],
  'GET /api/v1/reports': [D, D, D, D, D, A, A],
  'GET /api/v1/reports/{report}/csv': [D, D, D, D, D, A, A],
  'POST /api/v1/reviews': [D, D, D, D, D, A, A],
  'GET /api/v1/reviews': [D, D, D, D, D, A, A],
};

/** Socket events by namespace: `customer <event>` (widget) and `agent <event>` (console). */
export const SOCKET_MATRIX: Record<string, Row> = {
  'customer message:send': [D, H, A, D, D, D, D],
  'customer conversation:resync': [D, H, A, D, D, D, D],
  'customer typing': [D, H, A, D, D, D, D],
  'customer read': [D, H, A, D, D, D, D],
  'customer csat:submit': [D, H, A, D, D, D, D],
  'customer handoff:request': [D, H, A, D, D, D, D],
  'agent message:send': [D, D, D, H, A, A, A],
  'agent conversation:join': [D, D, D, H, A, A, A],
  'agent conversation:leave': [D, D, D, A, A, A, A],
  'agent conversation:resync': [D, D, D, H, A, A, A],
  'agent typing': [D, D, D, H, A, A, A],
  'agent read': [D, D, D, H, A, A, A],
};
