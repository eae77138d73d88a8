import type { TMessage } from '@kefu/shared';
import { describe, expect, it } from 'vitest';
import {
  isCsatRequest,
  lastSeq,
  linkify,
  mergeMessages,
  messageParts,
  newClientMessageId,
} from './text.ts';

function message(seq: number, patch: Partial<TMessage> = {}): TMessage {
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    conversationId: '00000000-0000-4000-8000-000000000000',
    seq,
    senderType: 'agent',
    senderId: null,
    senderName: 'Sam',
    private: false,
    text: `message ${seq}`,
    redactions: [],
    attachments: [],
    clientMessageId: null,
    kind: null,
    deliveryStatus: null,
    createdAt: new Date(0).toISOString(),
    ...patch,
  };
}

describe('linkify', () => {
  it('links http(s) addresses and leaves sentence punctuation outside', () => {
    expect(linkify('More: Reset 2FA https://kefu.example/help/en/articles/reset-2fa.')).toEqual([
      { kind: 'text', text: 'More: Reset 2FA ' },
      {
        kind: 'link',
        text: 'https://kefu.example/help/en/articles/reset-2fa',
        href: 'https://kefu.example/help/en/articles/reset-2fa',
      },
      { kind: 'text', text: '.' },
    ]);
  });

  it('stops at Chinese punctuation and never links other schemes', () => {
    const parts = linkify('请看 https://a.example/x，或 javascript:alert(1)');
    expect(parts.filter((p) => p.kind === 'link').map((p) => p.text)).toEqual([
      'https://a.example/x',
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(
      '请看 https://a.example/x，或 javascript:alert(1)',
    );
  });

  it('keeps plain text as one part', () => {
    expect(linkify('no links here')).toEqual([{ kind: 'text', text: 'no links here' }]);
  });
});

describe('messageParts', () => {
  it('marks masked secrets and still links addresses around them', () => {
    expect(messageParts('My words: [REDACTED:seed_phrase] see https://a.example/x')).toEqual([
      { kind: 'text', text: 'My words: ' },
      { kind: 'redacted', text: '[REDACTED:seed_phrase]', secret: 'seed_phrase' },
      { kind: 'text', text: ' see ' },
      { kind: 'link', text: 'https://a.example/x', href: 'https://a.example/x' },
    ]);
  });
});

describe('isCsatRequest', () => {
  const en =
    'How would you rate the help you received with ticket #100001? Choose from 1 (very poor) to 5 (excellent); you can add a comment.';
  const zh =
    '您对工单 #100001 的服务满意吗？请在 1（非常不满意）到 5（非常满意）之间评分，也可以留下意见。';
  /** A message from a server that does not send kinds yet. */
  const withoutKind = (patch: Partial<TMessage>) => {
    const { kind: _kind, ...rest } = message(1, patch);
    return rest as TMessage;
  };

  it('trusts the kind the server sends', () => {
    expect(
      isCsatRequest(message(1, { senderType: 'system', kind: 'csat_request', text: zh })),
    ).toBe(true);
    expect(isCsatRequest(message(1, { senderType: 'system', kind: 'handoff', text: en }))).toBe(
      false,
    );
    expect(isCsatRequest(message(1, { senderType: 'system', kind: null, text: en }))).toBe(false);
  });

  it('recognises the request by its text in both languages when there is no kind', () => {
    expect(isCsatRequest(withoutKind({ senderType: 'system', text: en }))).toBe(true);
    expect(isCsatRequest(withoutKind({ senderType: 'system', text: zh }))).toBe(true);
  });

  it('is not fooled by an agent or customer talking about rates', () => {
    const text = 'The rate is 1.5 USDT per 5 transfers';
    expect(isCsatRequest(withoutKind({ senderType: 'agent', text }))).toBe(false);
    expect(isCsatRequest(withoutKind({ senderType: 'contact', text }))).toBe(false);
    expect(isCsatRequest(withoutKind({ senderType: 'system', text: 'Ticket #15 reopened' }))).toBe(
      false,
    );
  });
});

describe('mergeMessages', () => {
  it('orders by seq, replaces by id and drops private notes', () => {
    const merged = mergeMessages(
      [message(3), message(1)],
      [message(2), message(3, { text: 'edited' }), message(4, { private: true })],
    );
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(merged[2]?.text).toBe('edited');
    expect(lastSeq(merged)).toBe(3);
  });
});

describe('newClientMessageId', () => {
  it('makes ids the server accepts (8–100 of letters, digits, _ . : -)', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newClientMessageId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[\w.:-]{8,100}$/);
  });
});
