import {
  PRIORITIES as SHARED_PRIORITIES,
  SECRET_KINDS as SHARED_SECRET_KINDS,
  STATUSES as SHARED_STATUSES,
  type TConversation,
  ZClientMessageId,
  ZConversationListQuery,
} from '@kefu/shared';
import { describe, expect, it } from 'vitest';
import {
  eventCode,
  formatDuration,
  mentionHandle,
  newClientMessageId,
  PRIORITIES,
  SECRET_KINDS,
  STATUSES,
  slaSummary,
  splitRedactions,
  VIEWS,
} from './conversation.ts';

describe('conversation helpers', () => {
  it('mirror the shared enums', () => {
    expect(STATUSES).toEqual(SHARED_STATUSES);
    expect(PRIORITIES).toEqual(SHARED_PRIORITIES);
    expect(SECRET_KINDS).toEqual(SHARED_SECRET_KINDS);
    for (const view of VIEWS) expect(ZConversationListQuery.safeParse({ view }).success).toBe(true);
  });

  it('split masked secrets out of a message', () => {
    expect(splitRedactions('my words: [REDACTED:seed_phrase], TxID 0xabc')).toEqual([
      { type: 'text', text: 'my words: ' },
      { type: 'redacted', kind: 'seed_phrase' },
      { type: 'text', text: ', TxID 0xabc' },
    ]);
    expect(splitRedactions('[REDACTED:password][REDACTED:api_secret]')).toEqual([
      { type: 'redacted', kind: 'password' },
      { type: 'redacted', kind: 'api_secret' },
    ]);
    expect(splitRedactions('nothing secret')).toEqual([{ type: 'text', text: 'nothing secret' }]);
  });

  it('recognise timeline events: private system messages holding a code', () => {
    const system = { senderType: 'system', private: true };
    expect(eventCode({ ...system, text: 'status_resolved' })).toBe('status_resolved');
    expect(eventCode({ ...system, text: 'The assistant handed this over\nIntent: x' })).toBeNull();
    expect(eventCode({ ...system, private: false, text: 'escalated' })).toBeNull();
    expect(eventCode({ senderType: 'agent', private: true, text: 'assigned' })).toBeNull();
  });

  it('pick the SLA deadline that matters now', () => {
    const base = {
      status: 'open',
      sla: {
        policyId: 'p',
        firstResponseDueAt: '2026-01-01T10:30:00.000Z',
        nextResponseDueAt: null,
        resolutionDueAt: '2026-01-02T10:00:00.000Z',
        state: { firstResponse: 'warning', resolution: 'ok' },
      },
    } as unknown as TConversation;
    expect(slaSummary(base)).toEqual({
      target: 'firstResponse',
      dueAt: '2026-01-01T10:30:00.000Z',
      level: 'warning',
    });
    const answered = {
      ...base,
      sla: { ...base.sla, firstResponseDueAt: null },
    } as TConversation;
    expect(slaSummary(answered)).toBeNull();
    expect(slaSummary(answered, ['firstResponse', 'nextResponse', 'resolution'])?.target).toBe(
      'resolution',
    );
    expect(slaSummary({ ...base, status: 'resolved' } as TConversation)).toBeNull();
  });

  it('format countdowns briefly', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(-(3 * 60_000 + 5_000))).toBe('3m 05s');
    expect(formatDuration(12 * 60_000)).toBe('12m');
    expect(formatDuration(65 * 60_000)).toBe('1h 05m');
    expect(formatDuration(50 * 3600_000)).toBe('2d 2h');
  });

  it('make ids and handles the server accepts', () => {
    const id = newClientMessageId();
    expect(ZClientMessageId.safeParse(id).success).toBe(true);
    expect(newClientMessageId()).not.toBe(id);
    expect(mentionHandle('Chen.Wei@demo-exchange.example')).toBe('chen.wei');
  });
});
