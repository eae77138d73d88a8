import type { TLocale, TOfficialChannelKind, TVerifyResult } from '@kefu/shared';
import { translate } from '@kefu/shared/i18n';
import type { Deps } from '../deps.ts';
import { findRegistry } from './official-channels.ts';
import { type ChannelCheck, verifyChannel } from './verify-channel.ts';

/** An official value as a customer recognizes it: handles with their @. */
function display(kind: TOfficialChannelKind, value: string): string {
  return kind === 'telegram' || kind === 'x' ? `@${value}` : value;
}

/** The check's answer in words, in `locale`. */
export function describeCheck(check: ChannelCheck, locale: TLocale): TVerifyResult {
  const official = check.matched ? display(check.matched.kind, check.matched.value) : '';
  const vars = { official, label: check.matched?.label || official };
  return {
    kind: check.kind,
    normalized: check.normalized,
    verdict: check.verdict,
    ...(check.matched ? { matchedLabel: vars.label, matchedValue: official } : {}),
    message: translate(locale, `verify.${check.verdict}`, vars),
    reasons: check.reasons.map((code) => ({ code, message: translate(locale, code, vars) })),
    notice: translate(locale, 'verify.notice'),
  };
}

/**
 * Whether `value` (a link, email address, Telegram or X account, phone number a customer was
 * given) is an official channel, a look-alike of one, or unknown; for the Verify page and the
 * assistant.
 */
export async function checkOfficialChannel(
  deps: Pick<Deps, 'db'>,
  value: string,
  locale: TLocale,
): Promise<TVerifyResult> {
  return describeCheck(verifyChannel(value, await findRegistry(deps)), locale);
}
