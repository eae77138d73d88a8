import type { TAgent, TConversation } from '@kefu/shared';
import {
  ActionIcon,
  Button,
  Combobox,
  Group,
  Loader,
  Paper,
  Popover,
  ScrollArea,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Tooltip,
  UnstyledButton,
  useCombobox,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconBook2, IconLock, IconMessageReply, IconSend, IconSlash } from '@tabler/icons-react';
import { type Ref, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TCopilot } from '../../api/types.ts';
import {
  articleUrl,
  renderCannedResponse,
  useCannedResponses,
  useKbSearch,
} from '../../api/workspace.ts';
import { notifyError } from '../../components/notify.ts';
import { currentLocale } from '../../i18n.ts';
import { mentionHandle } from '../../lib/conversation.ts';

export type ComposerMode = 'reply' | 'note';

export type ComposerHandle = {
  /** Inserts at the caret (an article link). */
  insert: (text: string) => void;
  /** Replaces the draft of a mode and switches to it (the copilot's suggestion). */
  setText: (text: string, mode: ComposerMode) => void;
  setMode: (mode: ComposerMode) => void;
  focus: () => void;
  /** Types `/` at the caret, which opens the canned responses. */
  openCanned: () => void;
};

type Trigger = { type: 'canned' | 'mention'; query: string; start: number; end: number };

const SLASH = /(?:^|\s)\/([\p{L}\p{N}_-]{0,40})$/u;
const AT = /(?:^|\s)@([\p{L}\p{N}_.+-]{0,40})$/u;

function findTrigger(text: string, caret: number, mode: ComposerMode): Trigger | null {
  const before = text.slice(0, caret);
  const slash = SLASH.exec(before);
  if (slash) {
    const query = slash[1] ?? '';
    return { type: 'canned', query, start: caret - query.length - 1, end: caret };
  }
  if (mode === 'note') {
    const at = AT.exec(before);
    if (at) {
      const query = at[1] ?? '';
      return { type: 'mention', query, start: caret - query.length - 1, end: caret };
    }
  }
  return null;
}

// Drafts survive leaving the conversation and coming back (for this tab's session).
const drafts = new Map<string, Record<ComposerMode, string>>();

function ArticlePicker({
  conversation,
  copilot,
  onPick,
}: {
  conversation: TConversation;
  copilot: TCopilot | undefined;
  onPick: (text: string) => void;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 300);
  const locale =
    conversation.language === 'zh-CN' || conversation.language === 'en'
      ? conversation.language
      : currentLocale();
  const search = useKbSearch(debounced, locale);
  const suggestions = query.trim()
    ? (search.data ?? []).map((hit) => ({
        id: hit.id,
        title: hit.title,
        summary: hit.summary,
        url: articleUrl(hit.locale, hit.slug),
      }))
    : (copilot?.articles ?? []).map((a) => ({ id: a.id, title: a.title, summary: '', url: a.url }));

  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      position="top-start"
      width={420}
      shadow="md"
      trapFocus
      withinPortal
    >
      <Popover.Target>
        <Tooltip label={t('workspace.composer.insertArticle')}>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t('workspace.composer.insertArticle')}
            onClick={() => setOpened((o) => !o)}
          >
            <IconBook2 size={18} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <TextInput
            size="xs"
            label={t('workspace.composer.articleSearch')}
            placeholder={t('workspace.composer.articlePlaceholder')}
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
            rightSection={search.isFetching ? <Loader size={12} /> : null}
            data-autofocus
          />
          {!query.trim() && suggestions.length > 0 && (
            <Text size="xs" c="dimmed">
              {t('workspace.composer.articleSuggested')}
            </Text>
          )}
          <ScrollArea.Autosize mah={260}>
            <Stack gap={2} role="list" aria-label={t('workspace.composer.articleResults')}>
              {suggestions.map((article) => (
                <UnstyledButton
                  key={article.id}
                  role="listitem"
                  className="kefu-pick"
                  px="xs"
                  py={6}
                  onClick={() => {
                    onPick(`${article.title}\n${article.url}`);
                    setOpened(false);
                    setQuery('');
                  }}
                >
                  <Text size="sm" fw={600}>
                    {article.title}
                  </Text>
                  {article.summary && (
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {article.summary}
                    </Text>
                  )}
                </UnstyledButton>
              ))}
              {query.trim() && search.isSuccess && suggestions.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('workspace.composer.articleEmpty')}
                </Text>
              )}
            </Stack>
          </ScrollArea.Autosize>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

/**
 * Reply or note. `/` lists canned responses (rendered for this conversation before they are
 * inserted), `@` in a note lists agents, Enter sends and Shift+Enter starts a new line.
 */
export function Composer({
  ref,
  conversation,
  agents,
  copilot,
  onSend,
  onTyping,
}: {
  ref?: Ref<ComposerHandle>;
  conversation: TConversation;
  agents: TAgent[];
  copilot: TCopilot | undefined;
  onSend: (text: string, isPrivate: boolean) => void;
  onTyping: (typing: boolean) => void;
}) {
  const { t } = useTranslation();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [texts, setTexts] = useState<Record<ComposerMode, string>>(
    () => drafts.get(conversation.id) ?? { reply: '', note: '' },
  );
  const [caret, setCaret] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [rendering, setRendering] = useState(false);
  const text = texts[mode];
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });

  useEffect(() => {
    drafts.set(conversation.id, texts);
  }, [conversation.id, texts]);

  const found = findTrigger(text, caret, mode);
  const trigger = found && found.start !== dismissed ? found : null;
  const [cannedQuery] = useDebouncedValue(trigger?.type === 'canned' ? trigger.query : '', 150);
  const canned = useCannedResponses(cannedQuery, trigger?.type === 'canned');
  const mentionOptions = useMemo(() => {
    if (trigger?.type !== 'mention') return [];
    const q = trigger.query.toLowerCase();
    return agents
      .filter(
        (agent) =>
          agent.active &&
          (agent.name.toLowerCase().includes(q) || mentionHandle(agent.email).includes(q)),
      )
      .slice(0, 8);
  }, [agents, trigger?.type, trigger?.query]);
  // The server's answer may lag the typing: filter it by what is typed now, so Enter always
  // picks what the list shows for the current text.
  const cannedOptions = useMemo(() => {
    if (trigger?.type !== 'canned') return [];
    const q = trigger.query.toLowerCase();
    return (canned.data ?? [])
      .filter(
        (item) =>
          !q ||
          item.shortcut.includes(q) ||
          item.title.toLowerCase().includes(q) ||
          Object.values(item.texts).some((text) => text?.toLowerCase().includes(q)),
      )
      .sort((a, b) => Number(b.shortcut.startsWith(q)) - Number(a.shortcut.startsWith(q)))
      .slice(0, 8);
  }, [canned.data, trigger?.type, trigger?.query]);
  const optionIds =
    trigger?.type === 'mention'
      ? mentionOptions.map((a) => a.id)
      : trigger?.type === 'canned'
        ? cannedOptions.map((c) => c.id)
        : [];
  const optionKey = optionIds.join();

  const listOpen = trigger !== null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the store's methods are stable
  useEffect(() => {
    if (listOpen) combobox.openDropdown();
    else combobox.closeDropdown();
  }, [listOpen]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: select the first of new options
  useEffect(() => {
    if (optionKey) combobox.selectFirstOption();
  }, [optionKey]);

  const setText = (value: string, target: ComposerMode = mode) =>
    setTexts((all) => ({ ...all, [target]: value }));

  const placeCaret = (position: number) => {
    requestAnimationFrame(() => {
      const el = textarea.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(position, position);
      setCaret(position);
    });
  };

  const replaceRange = (start: number, end: number, insertion: string) => {
    setTexts((all) => {
      const current = all[mode];
      return { ...all, [mode]: current.slice(0, start) + insertion + current.slice(end) };
    });
    placeCaret(start + insertion.length);
  };

  const insertAtCaret = (insertion: string) => {
    const el = textarea.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? start;
    const before = text.slice(0, start);
    const spacer = before && !/\s$/.test(before) ? '\n' : '';
    replaceRange(start, end, `${spacer}${insertion}`);
  };

  useImperativeHandle(ref, () => ({
    insert: insertAtCaret,
    setText: (value, target) => {
      setMode(target);
      setText(value, target);
      placeCaret(value.length);
    },
    setMode: (target) => {
      setMode(target);
      placeCaret(texts[target].length);
    },
    focus: () => textarea.current?.focus(),
    openCanned: () => {
      const el = textarea.current;
      const start = el?.selectionStart ?? text.length;
      const before = text.slice(0, start);
      setDismissed(null);
      replaceRange(start, el?.selectionEnd ?? start, before && !/\s$/.test(before) ? ' /' : '/');
    },
  }));

  const submit = () => {
    const value = text.trim();
    if (!value || rendering) return;
    onSend(value, mode === 'note');
    setText('');
    setCaret(0);
    setDismissed(null);
    onTyping(false);
  };

  const pickOption = async (value: string) => {
    if (!trigger) return;
    const { start, end } = trigger;
    if (trigger.type === 'mention') {
      const agent = agents.find((a) => a.id === value);
      if (agent) replaceRange(start, end, `@${mentionHandle(agent.email)} `);
      return;
    }
    setRendering(true);
    combobox.closeDropdown();
    try {
      const rendered = await renderCannedResponse(value, conversation.id);
      replaceRange(start, end, rendered.text);
      if (rendered.missing.length > 0) {
        notifications.show({
          color: 'yellow',
          message: t('workspace.composer.cannedMissing', { fields: rendered.missing.join(', ') }),
          autoClose: 6000,
        });
      }
    } catch (error) {
      notifyError(error, t('workspace.composer.cannedFailed'));
    } finally {
      setRendering(false);
    }
  };

  const isNote = mode === 'note';
  const empty =
    trigger?.type === 'mention'
      ? mentionOptions.length === 0
      : trigger?.type === 'canned' && canned.isSuccess && cannedOptions.length === 0;

  return (
    <Paper withBorder radius="md" className="kefu-composer" data-mode={mode}>
      <Tabs
        value={mode}
        onChange={(value) => {
          if (value === 'reply' || value === 'note') {
            setMode(value);
            placeCaret(texts[value].length);
          }
        }}
        variant="outline"
      >
        <Tabs.List px="xs" pt={4}>
          <Tabs.Tab value="reply" leftSection={<IconMessageReply size={14} />}>
            {t('workspace.composer.reply')}
          </Tabs.Tab>
          <Tabs.Tab value="note" leftSection={<IconLock size={14} />} color="yellow">
            {t('workspace.composer.note')}
          </Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <Combobox
        store={combobox}
        position="top-start"
        withinPortal
        onOptionSubmit={(value) => void pickOption(value)}
      >
        <Combobox.Target withKeyboardNavigation={combobox.dropdownOpened}>
          <Textarea
            ref={textarea}
            variant="unstyled"
            px="sm"
            pt={6}
            autosize
            minRows={3}
            maxRows={10}
            aria-label={isNote ? t('workspace.composer.note') : t('workspace.composer.reply')}
            placeholder={
              isNote
                ? t('workspace.composer.notePlaceholder')
                : t('workspace.composer.replyPlaceholder')
            }
            value={text}
            data-testid="composer-input"
            onChange={(event) => {
              const value = event.currentTarget.value;
              setText(value);
              setCaret(event.currentTarget.selectionStart ?? value.length);
              if (value.length < text.length) setDismissed(null);
              if (!isNote) onTyping(value.length > 0);
            }}
            onSelect={(event) => setCaret(event.currentTarget.selectionStart ?? 0)}
            onBlur={() => {
              combobox.closeDropdown();
              if (!isNote) onTyping(false);
            }}
            onKeyDown={(event) => {
              if (event.nativeEvent.isComposing || event.keyCode === 229) return;
              if (event.key === 'Escape') {
                if (trigger) setDismissed(trigger.start);
                else event.currentTarget.blur();
                return;
              }
              if (event.key !== 'Enter' || event.shiftKey) return;
              // An option picked from the list is Combobox's Enter, not a send.
              if (combobox.dropdownOpened && combobox.getSelectedOptionIndex() !== -1) return;
              event.preventDefault();
              submit();
            }}
          />
        </Combobox.Target>
        <Combobox.Dropdown hidden={!trigger} miw={360}>
          <Combobox.Header>
            <Text size="xs" c="dimmed">
              {trigger?.type === 'mention'
                ? t('workspace.composer.mentionHeader')
                : t('workspace.composer.cannedHeader')}
            </Text>
          </Combobox.Header>
          <Combobox.Options aria-label={t('workspace.composer.cannedHeader')}>
            <ScrollArea.Autosize mah={260} type="scroll">
              {trigger?.type === 'mention' &&
                mentionOptions.map((agent) => (
                  <Combobox.Option key={agent.id} value={agent.id}>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" fw={600}>
                        {agent.name}
                      </Text>
                      <Text size="xs" className="kefu-option-hint">
                        @{mentionHandle(agent.email)}
                      </Text>
                    </Group>
                  </Combobox.Option>
                ))}
              {trigger?.type === 'canned' &&
                cannedOptions.map((item) => {
                  const preview =
                    (conversation.language === 'zh-CN'
                      ? (item.texts['zh-CN'] ?? item.texts.en)
                      : (item.texts.en ?? item.texts['zh-CN'])) ?? '';
                  return (
                    <Combobox.Option key={item.id} value={item.id}>
                      <Group gap="xs" wrap="nowrap">
                        <Text size="sm" fw={600} className="kefu-mono" style={{ flexShrink: 0 }}>
                          /{item.shortcut}
                        </Text>
                        <Text size="sm" className="kefu-truncate">
                          {item.title}
                        </Text>
                      </Group>
                      <Text size="xs" className="kefu-option-hint" lineClamp={1}>
                        {preview}
                      </Text>
                    </Combobox.Option>
                  );
                })}
              {empty && (
                <Combobox.Empty>
                  {trigger?.type === 'mention'
                    ? t('workspace.composer.mentionEmpty')
                    : t('workspace.composer.cannedEmpty')}
                </Combobox.Empty>
              )}
              {trigger?.type === 'canned' && canned.isPending && (
                <Combobox.Empty>
                  <Loader size="xs" />
                </Combobox.Empty>
              )}
            </ScrollArea.Autosize>
          </Combobox.Options>
        </Combobox.Dropdown>
      </Combobox>
      <Group justify="space-between" px="xs" pb={6} gap="xs" wrap="nowrap">
        <Group gap={2} wrap="nowrap">
          <Tooltip label={t('workspace.composer.canned')}>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={t('workspace.composer.canned')}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => {
                const el = textarea.current;
                const start = el?.selectionStart ?? text.length;
                const before = text.slice(0, start);
                setDismissed(null);
                replaceRange(start, start, before && !/\s$/.test(before) ? ' /' : '/');
              }}
            >
              <IconSlash size={18} />
            </ActionIcon>
          </Tooltip>
          <ArticlePicker conversation={conversation} copilot={copilot} onPick={insertAtCaret} />
          {rendering && <Loader size="xs" ml={4} />}
          <Text size="xs" c="dimmed" ml={4} className="kefu-truncate">
            {isNote ? t('workspace.composer.noteHint') : t('workspace.composer.replyHint')}
          </Text>
        </Group>
        <Button
          size="xs"
          color={isNote ? 'yellow' : 'blue'}
          rightSection={<IconSend size={14} />}
          disabled={!text.trim() || rendering}
          onClick={submit}
        >
          {isNote ? t('workspace.composer.addNote') : t('workspace.composer.send')}
        </Button>
      </Group>
    </Paper>
  );
}
