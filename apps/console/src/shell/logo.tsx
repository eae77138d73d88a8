import { Group, Text, UnstyledButton } from '@mantine/core';
import { IconMessageChatbot } from '@tabler/icons-react';
import { Link } from 'react-router';

/** The product's name is the same in every language. */
export function Logo({ size = 'md' }: { size?: 'md' | 'lg' }) {
  return (
    <UnstyledButton component={Link} to="/">
      <Group gap={8} wrap="nowrap">
        <IconMessageChatbot
          size={size === 'lg' ? 34 : 26}
          stroke={1.6}
          color="var(--mantine-color-blue-6)"
          aria-hidden
        />
        <Text fw={700} fz={size === 'lg' ? 22 : 'lg'} lh={1}>
          Kefu{' '}
          <Text span c="dimmed" fw={500} inherit>
            客服
          </Text>
        </Text>
      </Group>
    </UnstyledButton>
  );
}
