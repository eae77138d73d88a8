import type { TLocale } from '@kefu/shared';
import {
  Anchor,
  Badge,
  Button,
  Collapse,
  Group,
  Loader,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
  Typography,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import {
  IconArrowLeft,
  IconExternalLink,
  IconHistory,
  IconLanguage,
  IconTrash,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useAgents } from '../../api/agents.ts';
import { useCurrentMe } from '../../api/auth.ts';
import {
  type TArticle,
  type TArticleInput,
  type TArticleStatus,
  type TRevision,
  useArticle,
  useArticlePreview,
  useArticles,
  useDeleteArticle,
  useRevisions,
  useSaveArticle,
} from '../../api/config.ts';
import { canAdminister } from '../../auth/guards.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { Page } from '../../components/page.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { ArticleStatusBadge, otherLocale } from './knowledge-page.tsx';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A slug from an English title ("Reset 2FA?" → "reset-2fa"). */
function slugify(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);
}

export function ArticlePage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const article = useArticle(isNew ? null : id);
  const all = useArticles({});
  const me = useCurrentMe();
  const canEdit = canAdminister(me.agent.role);
  const navigate = useNavigate();
  const [showTranslation, setShowTranslation] = useState(true);

  if (!isNew && article.isPending) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (!isNew && article.isError) return <ErrorAlert error={article.error} />;
  const current = isNew ? null : (article.data ?? null);
  const uiLocale: TLocale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const locale = current?.locale ?? uiLocale;
  const other = otherLocale(locale);
  const translation = current
    ? ((all.data ?? []).find((a) => a.slug === current.slug && a.locale === other) ?? null)
    : null;
  const side = Boolean(current && showTranslation && (translation || canEdit));

  return (
    <Page
      title={current ? current.title : t('config.kb.newTitle')}
      description={
        <Anchor component={Link} to="/knowledge" size="sm">
          <Group gap={4} component="span">
            <IconArrowLeft size={14} />
            {t('config.kb.back')}
          </Group>
        </Anchor>
      }
      actions={
        current && (
          <Button
            variant={showTranslation ? 'light' : 'default'}
            leftSection={<IconLanguage size={16} />}
            onClick={() => setShowTranslation((v) => !v)}
          >
            {showTranslation
              ? t('config.kb.closeTranslation')
              : t('config.kb.showTranslation', { locale: t(`locales.${other}`) })}
          </Button>
        )
      }
    >
      <SimpleGrid cols={side ? 2 : 1} spacing="md">
        <ArticleEditor
          key={current?.id ?? 'new'}
          article={current}
          defaults={{ locale }}
          canEdit={canEdit}
          split={!side}
          heading={current ? t('config.kb.original', { locale: t(`locales.${locale}`) }) : null}
          onCreated={(saved) => navigate(`/knowledge/${saved.id}`, { replace: true })}
          onDeleted={() => navigate('/knowledge')}
        />
        {side && current && (
          <ArticleEditor
            key={translation?.id ?? `translation-${other}`}
            article={translation}
            defaults={{
              locale: other,
              slug: current.slug,
              category: current.category,
              tags: current.tags,
            }}
            canEdit={canEdit}
            split={false}
            heading={t('config.kb.translation', { locale: t(`locales.${other}`) })}
            onCreated={() => undefined}
            onDeleted={() => undefined}
          />
        )}
      </SimpleGrid>
    </Page>
  );
}

type Values = {
  title: string;
  slug: string;
  summary: string;
  category: string;
  tags: string[];
  body: string;
};

function ArticleEditor({
  article,
  defaults,
  canEdit,
  split,
  heading,
  onCreated,
  onDeleted,
}: {
  article: TArticle | null;
  defaults: { locale: TLocale; slug?: string; category?: string; tags?: string[] };
  canEdit: boolean;
  /** Alone on the page: the text and its preview side by side; else in tabs. */
  split: boolean;
  heading: string | null;
  onCreated: (article: TArticle) => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const save = useSaveArticle();
  const remove = useDeleteArticle();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [restored, setRestored] = useState(0);
  const locale = article?.locale ?? defaults.locale;
  const linkedSlug = Boolean(article || defaults.slug);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      title: article?.title ?? '',
      slug: article?.slug ?? defaults.slug ?? '',
      summary: article?.summary ?? '',
      category: article?.category ?? defaults.category ?? '',
      tags: article?.tags ?? defaults.tags ?? [],
      body: article?.body ?? '',
    },
    validate: {
      title: (v) => (v.trim() ? null : t('config.kb.validation.title')),
      slug: (v) => (SLUG.test(v.trim()) ? null : t('config.kb.validation.slug')),
      category: (v) => (v.trim() ? null : t('config.kb.validation.category')),
      body: (v) => (v.trim() ? null : t('config.kb.validation.body')),
    },
  });
  const [title] = useDebouncedValue(form.values.title.trim(), 300);
  const [body] = useDebouncedValue(form.values.body, 300);
  const preview = useArticlePreview(title, body);
  const readOnly = !canEdit;

  const submit = (status: TArticleStatus) => (values: Values) => {
    const input: TArticleInput = {
      slug: values.slug.trim(),
      locale,
      title: values.title.trim(),
      summary: values.summary.trim(),
      body: values.body,
      category: values.category.trim(),
      tags: values.tags,
      status,
    };
    save.mutate(
      { id: article?.id ?? null, ...input },
      {
        onSuccess: (saved) => {
          form.resetDirty();
          notifySuccess(
            status === 'published' && article?.status !== 'published'
              ? t('config.kb.published')
              : status === 'draft' && article?.status === 'published'
                ? t('config.kb.unpublished')
                : t('config.kb.saved'),
          );
          if (!article) onCreated(saved);
        },
      },
    );
  };

  const previewPane = (
    <Paper withBorder p="sm" radius="md" mih={240} aria-label={t('config.kb.livePreview')}>
      {preview.isError ? (
        <ErrorAlert error={preview.error} />
      ) : (
        <ScrollArea.Autosize mah={520}>
          <Typography fz="sm">
            {/* Rendered and sanitized by the server, as the help center shows it. */}
            <div
              data-testid="article-preview"
              // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by the server
              dangerouslySetInnerHTML={{
                __html: form.values.body.trim() ? (preview.data ?? '') : '',
              }}
            />
          </Typography>
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
  const bodyField = (
    <Textarea
      key={restored}
      label={t('config.kb.field.body')}
      autosize
      minRows={12}
      maxRows={24}
      readOnly={readOnly}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
      {...form.getInputProps('body')}
    />
  );
  const status = article?.status ?? 'draft';

  return (
    <Paper withBorder p="md" radius="md" data-locale={locale} aria-label={heading ?? undefined}>
      <form onSubmit={form.onSubmit(submit(status))} noValidate>
        <Stack gap="sm">
          <Group justify="space-between" wrap="nowrap">
            <Group gap="xs">
              {heading && (
                <Title order={3} fz="md">
                  {heading}
                </Title>
              )}
              <Badge size="sm" variant="outline" color="gray" tt="none">
                {locale}
              </Badge>
              {article && <ArticleStatusBadge status={article.status} />}
              {form.isDirty() && (
                <Badge size="sm" variant="light" color="yellow">
                  {t('config.kb.unsaved')}
                </Badge>
              )}
            </Group>
          </Group>
          {!article && linkedSlug && (
            <Text size="xs" c="dimmed">
              {t('config.kb.translationHint')}
            </Text>
          )}
          {save.error && <ErrorAlert error={save.error} />}
          <TextInput
            label={t('config.kb.field.title')}
            required
            maxLength={200}
            readOnly={readOnly}
            {...form.getInputProps('title')}
            onChange={(event) => {
              const title = event.currentTarget.value;
              form.setFieldValue('title', title);
              // A new English article proposes its slug from the title.
              if (!linkedSlug && locale === 'en' && !form.isTouched('slug'))
                form.setFieldValue('slug', slugify(title));
            }}
          />
          <Group grow align="flex-start">
            <TextInput
              label={t('config.kb.field.slug')}
              description={t('config.kb.field.slugHint')}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              required
              maxLength={120}
              readOnly={readOnly || linkedSlug}
              {...form.getInputProps('slug')}
            />
            <TextInput
              label={t('config.kb.field.category')}
              required
              maxLength={60}
              readOnly={readOnly}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              {...form.getInputProps('category')}
            />
          </Group>
          <Textarea
            label={t('config.kb.field.summary')}
            autosize
            minRows={1}
            maxRows={3}
            maxLength={1000}
            readOnly={readOnly}
            {...form.getInputProps('summary')}
          />
          <TagsInput
            label={t('config.kb.field.tags')}
            placeholder={readOnly ? undefined : t('config.kb.field.tagsPlaceholder')}
            maxTags={30}
            readOnly={readOnly}
            {...form.getInputProps('tags')}
          />
          {split ? (
            <SimpleGrid cols={2} spacing="sm">
              {bodyField}
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('config.kb.livePreview')}
                </Text>
                {previewPane}
              </Stack>
            </SimpleGrid>
          ) : (
            <Tabs defaultValue="write" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="write">{t('config.kb.write')}</Tabs.Tab>
                <Tabs.Tab value="preview">{t('config.kb.previewTab')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="write" pt="xs">
                {bodyField}
              </Tabs.Panel>
              <Tabs.Panel value="preview" pt="xs">
                {previewPane}
              </Tabs.Panel>
            </Tabs>
          )}
          {canEdit && (
            <Group justify="space-between">
              <Group gap="xs">
                {status === 'published' ? (
                  <Button
                    variant="default"
                    loading={save.isPending && save.variables?.status === 'draft'}
                    onClick={() => form.onSubmit(submit('draft'))()}
                  >
                    {t('config.kb.unpublish')}
                  </Button>
                ) : (
                  <Button
                    color="teal"
                    loading={save.isPending && save.variables?.status === 'published'}
                    onClick={() => form.onSubmit(submit('published'))()}
                  >
                    {t('config.kb.publish')}
                  </Button>
                )}
                <Button
                  type="submit"
                  variant={status === 'published' ? 'filled' : 'default'}
                  loading={save.isPending && save.variables?.status === status}
                >
                  {status === 'published' ? t('config.kb.save') : t('config.kb.saveDraft')}
                </Button>
              </Group>
              <Group gap="xs">
                {article?.status === 'published' && (
                  <Button
                    component="a"
                    href={`/help/${article.locale}/articles/${article.slug}`}
                    target="_blank"
                    variant="subtle"
                    rightSection={<IconExternalLink size={14} />}
                  >
                    {t('config.kb.viewInHelpCenter')}
                  </Button>
                )}
                {article && (
                  <Button
                    variant="subtle"
                    color="red"
                    leftSection={<IconTrash size={16} />}
                    onClick={() => {
                      remove.reset();
                      setConfirmDelete(true);
                    }}
                  >
                    {t('config.kb.deleteFor')}
                  </Button>
                )}
              </Group>
            </Group>
          )}
          {article && (
            <Revisions
              articleId={article.id}
              canEdit={canEdit}
              onRestore={(revision) => {
                form.setValues({
                  title: revision.title,
                  summary: revision.summary,
                  body: revision.body,
                });
                setRestored((n) => n + 1);
                notifySuccess(t('config.kb.restored'));
              }}
            />
          )}
        </Stack>
      </form>
      <ConfirmModal
        opened={confirmDelete}
        title={t('config.kb.deleteTitle')}
        confirmLabel={t('config.kb.deleteFor')}
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setConfirmDelete(false)}
        onConfirm={() => {
          if (!article) return;
          remove.mutate(article.id, {
            onSuccess: () => {
              notifySuccess(t('config.kb.deleted'));
              setConfirmDelete(false);
              onDeleted();
            },
          });
        }}
      >
        {t('config.kb.deleteBody', { title: article?.title ?? '', locale: article?.locale ?? '' })}
      </ConfirmModal>
    </Paper>
  );
}

function Revisions({
  articleId,
  canEdit,
  onRestore,
}: {
  articleId: string;
  canEdit: boolean;
  onRestore: (revision: TRevision) => void;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const revisions = useRevisions(opened ? articleId : null);
  const agents = useAgents();
  const names = new Map((agents.data ?? []).map((agent) => [agent.id, agent.name]));
  return (
    <Stack gap="xs">
      <Group>
        <Button
          variant="subtle"
          size="compact-sm"
          leftSection={<IconHistory size={14} />}
          onClick={() => setOpened((v) => !v)}
          aria-expanded={opened}
        >
          {t('config.kb.revisions')}
        </Button>
      </Group>
      <Collapse expanded={opened}>
        {revisions.isPending ? (
          <Loader size="xs" aria-label={t('common.loading')} />
        ) : revisions.isError ? (
          <ErrorAlert error={revisions.error} />
        ) : revisions.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('config.kb.revisionsEmpty')}
          </Text>
        ) : (
          <Stack gap={6} aria-label={t('config.kb.revisions')}>
            {revisions.data.map((revision) => (
              <Group key={revision.id} justify="space-between" wrap="nowrap" gap="xs">
                <div style={{ minWidth: 0 }}>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" className="kefu-nowrap">
                      {formatDateTime(revision.createdAt)}
                    </Text>
                    <ArticleStatusBadge
                      status={revision.status === 'published' ? 'published' : 'draft'}
                    />
                  </Group>
                  <Text size="xs" c="dimmed" truncate>
                    {(revision.editedBy && names.get(revision.editedBy)) || t('common.system')} ·{' '}
                    {revision.title}
                  </Text>
                </div>
                {canEdit && (
                  <Button variant="default" size="compact-xs" onClick={() => onRestore(revision)}>
                    {t('config.kb.restore')}
                  </Button>
                )}
              </Group>
            ))}
          </Stack>
        )}
      </Collapse>
    </Stack>
  );
}
