import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env, { createSecrets: false });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('defaults to embedded mode on port 3000 with the demo', () => {
    const config = loadConfig({}, { createSecrets: false });
    expect(config).toMatchObject({
      mode: 'embedded',
      port: 3000,
      demo: true,
      publicUrl: 'http://localhost:3000',
    });
  });

  it('names every bad variable', () => {
    const message = problems({ PORT: 'eighty', LOG_LEVEL: 'loud', REDIS_URL: 'localhost:6379' });
    expect(message).toMatch(/PORT must be a whole number/);
    expect(message).toMatch(/LOG_LEVEL/);
    expect(message).toMatch(/REDIS_URL must be a URL starting with redis:\/\//);
  });

  it('requires KEFU_SECRET_KEY in server mode and hides secret values', () => {
    expect(problems({ DATABASE_URL: 'postgres://kefu@db/kefu' })).toMatch(
      /KEFU_SECRET_KEY is required/,
    );
    const message = problems({
      DATABASE_URL: 'mysql://secret-host/x',
      KEFU_SECRET_KEY: 'x'.repeat(40),
    });
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).not.toContain('secret-host');
  });

  it('allows several worker processes only in server mode with Redis', () => {
    const server = { DATABASE_URL: 'postgres://kefu@db/kefu', KEFU_SECRET_KEY: 'x'.repeat(40) };
    expect(problems({ KEFU_WORKERS: '2' })).toMatch(/KEFU_WORKERS above 1 needs server mode/);
    expect(problems({ ...server, KEFU_WORKERS: '2' })).toMatch(/with Redis/);
    expect(problems({ ...server, KEFU_WORKERS: '0' })).toMatch(/KEFU_WORKERS must be at least 1/);
    const config = loadConfig(
      { ...server, REDIS_URL: 'redis://cache:6379', KEFU_WORKERS: '4' },
      { createSecrets: false },
    );
    expect(config.workers).toBe(4);
    expect(loadConfig({}, { createSecrets: false }).workers).toBe(1);
  });

  it('refuses widget origins that are not origins', () => {
    expect(
      problems({ KEFU_WIDGET_ORIGINS: 'https://ok.example, https://bad.example/path' }),
    ).toMatch(/KEFU_WIDGET_ORIGINS.*bad\.example\/path/);
    expect(
      loadConfig(
        { KEFU_WIDGET_ORIGINS: 'https://a.example,https://b.example' },
        { createSecrets: false },
      ).widgetOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
  });

  it('generates the embedded secret key once and keeps it in the data dir', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kefu-config-'));
    const first = loadConfig({ KEFU_DATA_DIR: dir });
    const second = loadConfig({ KEFU_DATA_DIR: dir });
    expect(first.secretKey).toHaveLength(64);
    expect(second.secretKey).toBe(first.secretKey);
    expect(JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8')).secretKey).toBe(
      first.secretKey,
    );
  });

  it('uses secure cookies behind https', () => {
    expect(
      loadConfig({ PUBLIC_URL: 'https://support.example.com/' }, { createSecrets: false }),
    ).toMatchObject({
      cookieSecure: true,
      publicUrl: 'https://support.example.com',
    });
  });
});
