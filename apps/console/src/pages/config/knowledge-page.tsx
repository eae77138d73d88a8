import type { TLocale } from '@kefu/shared';
import {
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import {
  IconDownload,
  IconPlus,
  IconSearch,
  IconThumbDown,
  IconThumbUp,
  IconUpload,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentMe } from '../../api/auth.ts';
import {
  type TArticle,
  type TMarkdownFile,
  useArticles,
  useImportArticles,
} from '../../api/config.ts';
import { canAdminister } from '../../auth/guards.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { notifyError, notifySuccess } from '../../components/notify.ts';
import { Page } from '../../components/page.tsx';
import { QueryState, ReadOnlyNote } from '../../components/query-state.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useDialog } from '../../lib/use-dialog.ts';

export const LOCALES: readonly TLocale[] = ['en', 'zh-CN'];
export const otherLocale = (locale: TLocale): TLocale => (locale === 'en' ? 'zh-CN' : 'en');

export function ArticleStatusBadge({ status }: { status: TArticle['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant="light" color={status === 'published' ? 'teal' : 'gray'}>
      {t(`config.kb.statuses.${status}`)}
    </Badge>
  );
}

export function KnowledgePage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const canEdit = canAdminister(me.agent.role);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [locale, setLocale] = useState<string | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const filter = useMemo(() => {
    const f: Record<string, string> = {};
    if (q) f.q = q;
    if (locale) f.locale = locale;
    if (category) f.category = category;
    if (status) f.status = status;
    return f;
  }, [q, locale, category, status]);
  const articles = useArticles(filter);
  // Every article, to know the categories and which translations exist.
  const all = useArticles({});
  const categories = useMemo(
    () => [...new Set((all.data ?? []).map((a) => a.category))].sort(),
    [all.data],
  );
  const localesBySlug = useMemo(() => {
    const map = new Map<string, TLocale[]>();
    for (const a of all.data ?? []) map.set(a.slug, [...(map.get(a.slug) ?? []), a.locale]);
    return map;
  }, [all.data]);
  const importer = useDialog<true>();
  return (
    <Page
      title={t('config.kb.title')}
      description={t('config.kb.description')}
      actions={
        canEdit && (
          <>
            <Button
              variant="default"
              leftSection={<IconUpload size={16} />}
              onClick={() => importer.open(true)}
            >
              {t('config.kb.import')}
            </Button>
            <Button
              component="a"
              href="/api/v1/articles/export?format=csv"
              download="kefu-articles.csv"
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              {t('config.kb.export')}
            </Button>
            <Button component={Link} to="/knowledge/new" leftSection={<IconPlus size={16} />}>
              {t('config.kb.create')}
            </Button>
          </>
        )
      }
    >
      {!canEdit && <ReadOnlyNote>{t('config.kb.readOnly')}</ReadOnlyNote>}
      <Group gap="sm" align="flex-end">
        <TextInput
          w={300}
          leftSection={<IconSearch size={16} />}
          placeholder={t('config.kb.search')}
          aria-label={t('config.kb.search')}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
        />
        <Select
          w={170}
          aria-label={t('config.kb.locale')}
          placeholder={t('config.kb.allLocales')}
          clearable
          data={LOCALES.map((l) => ({ value: l, label: t(`locales.${l}`) }))}
          value={locale}
          onChange={setLocale}
        />
        <Select
          w={190}
          aria-label={t('config.kb.category')}
          placeholder={t('config.kb.allCategories')}
          clearable
          searchable
          data={categories}
          value={category}
          onChange={setCategory}
        />
        <Select
          w={150}
          aria-label={t('config.kb.status')}
          placeholder={t('config.kb.allStatuses')}
          clearable
          data={(['draft', 'published'] as const).map((s) => ({
            value: s,
            label: t(`config.kb.statuses.${s}`),
          }))}
          value={status}
          onChange={setStatus}
        />
        {articles.data && (
          <Text size="sm" c="dimmed" ml="auto">
            {t('config.kb.count', { count: articles.data.length })}
          </Text>
        )}
      </Group>
      <QueryState query={articles} empty={t('config.kb.empty')} isEmpty={(l) => l.length === 0}>
        {(list) => (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={880}>
              <Table className="kefu-table" highlightOnHover aria-label={t('config.kb.title')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('config.kb.columns.title')}</Table.Th>
                    <Table.Th>{t('config.kb.columns.locale')}</Table.Th>
                    <Table.Th>{t('config.kb.columns.category')}</Table.Th>
                    <Table.Th>{t('config.kb.columns.status')}</Table.Th>
                    <Table.Th>{t('config.kb.columns.translations')}</Table.Th>
                    <Table.Th>{t('config.kb.columns.feedback')}</Table.Th>
                    <Table.Th>{t('config.kb.columns.updated')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((article) => {
                    const other = otherLocale(article.locale);
                    const translated = localesBySlug.get(article.slug)?.includes(other);
                    return (
                      <Table.Tr key={article.id}>
                        <Table.Td className="kefu-wrap" miw={280}>
                          <Anchor
                            component={Link}
                            to={`/knowledge/${article.id}`}
                            size="sm"
                            fw={600}
                          >
                            {article.title}
                          </Anchor>
                          <Text size="xs" c="dimmed">
                            {article.slug}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge size="sm" variant="outline" color="gray" tt="none">
                            {article.locale}
                          </Badge>
                        </Table.Td>
                        <Table.Td className="kefu-nowrap">
                          <Text size="sm">{article.category}</Text>
                        </Table.Td>
                        <Table.Td>
                          <ArticleStatusBadge status={article.status} />
                        </Table.Td>
                        <Table.Td className="kefu-nowrap">
                          {translated ? (
                            <Badge size="sm" variant="light" color="blue" tt="none">
                              {other}
                            </Badge>
                          ) : (
                            <Text size="xs" c="orange">
                              {t('config.kb.missingTranslation', { locale: t(`locales.${other}`) })}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td className="kefu-nowrap">
                          <Group gap={8} wrap="nowrap">
                            <Group gap={2} wrap="nowrap" c="teal">
                              <IconThumbUp size={14} aria-hidden />
                              <Text size="sm">{article.helpfulCount}</Text>
                            </Group>
                            <Group gap={2} wrap="nowrap" c="dimmed">
                              <IconThumbDown size={14} aria-hidden />
                              <Text size="sm">{article.notHelpfulCount}</Text>
                            </Group>
                          </Group>
                        </Table.Td>
                        <Table.Td className="kefu-nowrap">
                          <Text size="sm">{formatDateTime(article.updatedAt)}</Text>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
      </QueryState>
      <Modal opened={importer.opened} onClose={importer.close} title={t('config.kb.importTitle')}>
        <ImportForm key={importer.key} onClose={importer.close} />
      </Modal>
    </Page>
  );
}

function ImportForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const run = useImportArticles();
  const [files, setFiles] = useState<File[]>([]);

  const submit = async () => {
    const csv = files.find((f) => f.name.toLowerCase().endsWith('.csv'));
    let body: Parameters<typeof run.mutate>[0];
    if (csv) body = { format: 'csv', content: await csv.text() };
    else {
      const markdown: TMarkdownFile[] = [];
      for (const file of files) {
        // The locale comes from the front matter; the folder (en/…, zh-CN/…) is the fallback.
        markdown.push({ path: file.webkitRelativePath || file.name, content: await file.text() });
      }
      body = { format: 'markdown', files: markdown };
    }
    run.mutate(body, {
      onSuccess: (result) => {
        notifySuccess(t('config.kb.imported', result));
        onClose();
      },
    });
  };

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('config.kb.importHint')}
      </Text>
      {run.error && <ErrorAlert error={run.error} />}
      <FileInput
        label={t('config.kb.importFiles')}
        placeholder={t('config.kb.importPick')}
        multiple
        accept=".md,.markdown,.csv,text/markdown,text/csv"
        value={files}
        onChange={setFiles}
        clearable
      />
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          disabled={files.length === 0}
          loading={run.isPending}
          onClick={() => void submit().catch((error: unknown) => notifyError(error))}
        >
          {t('config.kb.importRun')}
        </Button>
      </Group>
    </Stack>
  );
}
