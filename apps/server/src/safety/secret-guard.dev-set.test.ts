import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guardSecrets, type SecretKind } from './secret-guard.ts';

/** One line of the shared development set (see shared/eval/taxonomy.md). */
type DevLine = {
  id: string;
  text: string;
  secret: SecretKind | null;
  keep: string[];
};

const devSet = fileURLToPath(new URL('../../../../../shared/eval/dev.jsonl', import.meta.url));

// The eval set lives beside the repository; where it is absent the suite is not registered.
describe.runIf(existsSync(devSet))('secret guard on the development set', () => {
  const lines: DevLine[] = existsSync(devSet)
    ? readFileSync(devSet, 'utf8')
        .split('\n')
        .filter((line) => line.trim().length > 0)
        .map((line) => JSON.parse(line) as DevLine)
    : [];

  it('has lines to check', () => {
    expect(lines.length).toBeGreaterThan(0);
  });

  it.each(lines.map((line) => [line.id, line] as const))('%s', (_id, line) => {
    const result = guardSecrets(line.text);
    const kinds = result.redactions.map((r) => r.kind);
    if (line.secret) expect(kinds).toContain(line.secret);
    else expect(kinds).toEqual([]);
    for (const keep of line.keep) expect(result.text).toContain(keep);
  });

  it('reaches secret recall 1.0 with no false positive', () => {
    const withSecret = lines.filter((line) => line.secret);
    const found = withSecret.filter((line) =>
      guardSecrets(line.text).redactions.some((r) => r.kind === line.secret),
    );
    const falsePositives = lines.filter(
      (line) => !line.secret && guardSecrets(line.text).redactions.length > 0,
    );
    expect(found.length / withSecret.length).toBe(1);
    expect(falsePositives.map((line) => line.id)).toEqual([]);
  });
});
