import type { TAvailability, TLocale, TRole } from '@kefu/shared';
import { Badge, ColorSwatch, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export const AVAILABILITY_COLORS: Record<TAvailability, string> = {
  online: 'teal',
  away: 'yellow',
  offline: 'gray',
};

const ROLE_COLORS: Record<TRole, string> = { admin: 'grape', supervisor: 'indigo', agent: 'blue' };

export function RoleBadge({ role }: { role: TRole }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant="light" color={ROLE_COLORS[role]}>
      {t(`roles.${role}`)}
    </Badge>
  );
}

export function AvailabilityDot({ availability }: { availability: TAvailability }) {
  return (
    <ColorSwatch
      component="span"
      size={8}
      color={`var(--mantine-color-${AVAILABILITY_COLORS[availability]}-6)`}
      withShadow={false}
      aria-hidden
    />
  );
}

export function AvailabilityLabel({ availability }: { availability: TAvailability }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap">
      <AvailabilityDot availability={availability} />
      <Text size="sm">{t(`availability.${availability}`)}</Text>
    </Group>
  );
}

export function LocaleBadges({ locales }: { locales: readonly TLocale[] }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      {locales.map((locale) => (
        <Badge key={locale} size="sm" variant="outline" color="gray" tt="none">
          {t(`language.${locale}`)}
        </Badge>
      ))}
    </Group>
  );
}
