import { Anchor, Badge, Tooltip } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isSecretKind, splitRedactions } from '../../lib/conversation.ts';

const URL_OR_MENTION =
  /(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])|(^|\s)(@[\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)/g;

function decorate(text: string, mentions: boolean, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_OR_MENTION)) {
    const index = match.index ?? 0;
    const [, url, space = '', mention] = match;
    if (url) {
      if (index > last) out.push(text.slice(last, index));
      out.push(
        <Anchor
          key={`${key}-${index}`}
          href={url}
          target="_blank"
          rel="noopener noreferrer"
          inherit
        >
          {url}
        </Anchor>,
      );
      last = index + url.length;
    } else if (mention && mentions) {
      const start = index + space.length;
      if (start > last) out.push(text.slice(last, start));
      out.push(
        <span key={`${key}-${index}`} className="kefu-mention">
          {mention}
        </span>,
      );
      last = start + mention.length;
    }
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/**
 * A message's text as agents read it: line breaks kept, links clickable, @mentions marked in
 * notes, and each secret the guard masked shown as a badge ("seed phrase removed") instead of
 * the stored `[REDACTED:seed_phrase]` token.
 */
export function MessageText({ text, mentions = false }: { text: string; mentions?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="kefu-msg-text">
      {splitRedactions(text).map((part, i) => {
        const key = String(i);
        if (part.type === 'text') {
          return <Fragment key={key}>{decorate(part.text, mentions, key)}</Fragment>;
        }
        const label = isSecretKind(part.kind)
          ? t(`workspace.redacted.${part.kind}`)
          : t('workspace.redacted.other');
        return (
          <Tooltip key={key} label={t('workspace.redacted.hint')} multiline maw={280}>
            <Badge
              component="span"
              size="sm"
              color="red"
              variant="light"
              radius="sm"
              leftSection={<IconShieldLock size={12} aria-hidden />}
              className="kefu-redacted"
              data-kind={part.kind}
            >
              [{label}]
            </Badge>
          </Tooltip>
        );
      })}
    </div>
  );
}
