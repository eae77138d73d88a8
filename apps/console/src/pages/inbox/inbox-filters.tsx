import type { TPriority } from '@kefu/shared';
import { Button, Indicator, Popover, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconAdjustmentsHorizontal, IconSearch, IconX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxFilterKey } from '../../api/conversations.ts';

// The console imports no values from the shared schemas (that would bundle zod).
const CHANNELS = ['widget', 'email', 'telegram', 'api'] as const;
const PRIORITIES: readonly TPriority[] = ['low', 'normal', 'high', 'urgent'];
const LANGUAGES = ['zh-CN', 'en'] as const;

type Values = Partial<Record<InboxFilterKey, string | undefined>>;

/** The search box: searches as the agent types (debounced), kept in the address. */
export function InboxSearch({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = useDebouncedCallback((q: string) => onChange(q.trim()), 300);
  return (
    <TextInput
      size="xs"
      w={340}
      aria-label={t('inboxSearch.search')}
      placeholder={t('inboxSearch.searchPlaceholder')}
      leftSection={<IconSearch size={14} />}
      value={text}
      maxLength={200}
      onChange={(e) => {
        setText(e.currentTarget.value);
        commit(e.currentTarget.value);
      }}
      onKeyDown={(e) => {
        // Keyboard shortcuts of the list (j/k/Enter) must not fire while typing.
        e.stopPropagation();
        if (e.key === 'Enter') onChange(text.trim());
      }}
      rightSection={
        text ? (
          <IconX
            size={14}
            style={{ cursor: 'pointer' }}
            aria-label={t('inboxSearch.clear')}
            onClick={() => {
              setText('');
              onChange('');
            }}
          />
        ) : null
      }
    />
  );
}

/** Channel, priority, language, intent, label and VIP, in a popover. */
export function InboxFilters({
  values,
  onChange,
}: {
  values: Values;
  onChange: (next: Values) => void;
}) {
  const { t } = useTranslation();
  const active = (['channel', 'priority', 'language', 'intent', 'label', 'vip'] as const).filter(
    (k) => values[k],
  ).length;
  const [intent, setIntent] = useState(values.intent ?? '');
  const [label, setLabel] = useState(values.label ?? '');
  useEffect(() => setIntent(values.intent ?? ''), [values.intent]);
  useEffect(() => setLabel(values.label ?? ''), [values.label]);
  return (
    <Popover position="bottom-end" shadow="md" width={280} withinPortal>
      <Popover.Target>
        <Indicator disabled={active === 0} label={active} size={16}>
          <Button size="xs" variant="default" leftSection={<IconAdjustmentsHorizontal size={14} />}>
            {t('inboxSearch.filters')}
          </Button>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Select
            size="xs"
            label={t('inboxSearch.channel')}
            placeholder={t('inboxSearch.any')}
            data={CHANNELS.map((c) => ({ value: c, label: t(`ticket.channel.${c}`) }))}
            value={values.channel ?? null}
            onChange={(channel) => onChange({ channel: channel ?? undefined })}
            clearable
            comboboxProps={{ withinPortal: false }}
          />
          <Select
            size="xs"
            label={t('inboxSearch.priority')}
            placeholder={t('inboxSearch.any')}
            data={PRIORITIES.map((p) => ({ value: p, label: t(`ticket.priority.${p}`) }))}
            value={values.priority ?? null}
            onChange={(priority) => onChange({ priority: priority ?? undefined })}
            clearable
            comboboxProps={{ withinPortal: false }}
          />
          <Select
            size="xs"
            label={t('inboxSearch.language')}
            placeholder={t('inboxSearch.any')}
            data={LANGUAGES.map((l) => ({ value: l, label: t(`locales.${l}`) }))}
            value={values.language ?? null}
            onChange={(language) => onChange({ language: language ?? undefined })}
            clearable
            comboboxProps={{ withinPortal: false }}
          />
          <TextInput
            size="xs"
            label={t('inboxSearch.intent')}
            placeholder={t('inboxSearch.intentPlaceholder')}
            value={intent}
            onChange={(e) => setIntent(e.currentTarget.value)}
            onBlur={() => onChange({ intent: intent.trim() || undefined })}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Enter') onChange({ intent: intent.trim() || undefined });
            }}
          />
          <TextInput
            size="xs"
            label={t('inboxSearch.label')}
            placeholder={t('inboxSearch.labelPlaceholder')}
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
            onBlur={() => onChange({ label: label.trim() || undefined })}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Enter') onChange({ label: label.trim() || undefined });
            }}
          />
          <Switch
            size="xs"
            label={t('inboxSearch.vip')}
            checked={values.vip === 'true'}
            onChange={(e) => onChange({ vip: e.currentTarget.checked ? 'true' : undefined })}
          />
          {active > 0 && (
            <Button
              size="xs"
              variant="subtle"
              color="gray"
              onClick={() =>
                onChange({
                  channel: undefined,
                  priority: undefined,
                  language: undefined,
                  intent: undefined,
                  label: undefined,
                  vip: undefined,
                })
              }
            >
              {t('inboxSearch.clear')}
            </Button>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
