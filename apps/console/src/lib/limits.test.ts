import { PASSWORD_MIN as SHARED_PASSWORD_MIN, ZCreateAgent } from '@kefu/shared';
import { describe, expect, it } from 'vitest';
import { CAPACITY_MAX, PASSWORD_MIN } from './limits.ts';

describe('console limits', () => {
  it('match the shared schemas', () => {
    expect(PASSWORD_MIN).toBe(SHARED_PASSWORD_MIN);
    const base = { email: 'a@b.example', name: 'A', password: 'x'.repeat(PASSWORD_MIN) };
    expect(ZCreateAgent.safeParse({ ...base, capacity: CAPACITY_MAX }).success).toBe(true);
    expect(ZCreateAgent.safeParse({ ...base, capacity: CAPACITY_MAX + 1 }).success).toBe(false);
  });
});
