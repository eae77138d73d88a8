import { SegmentedControl, Stack, Text } from '@mantine/core';
import { useId } from 'react';

/** A labelled choice among a few options (a form field drawn as a segmented control). */
export function SegmentedField<V extends string>({
  label,
  hint,
  data,
  value,
  onChange,
}: {
  label: string;
  hint?: string;
  data: { value: V; label: string }[];
  value: V;
  onChange: (value: V) => void;
}) {
  const id = useId();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={id}>
        {label}
      </Text>
      <SegmentedControl
        aria-labelledby={id}
        data={data}
        value={value}
        // The control only ever answers one of `data`'s values.
        onChange={(next) => onChange(next as V)}
      />
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Stack>
  );
}
