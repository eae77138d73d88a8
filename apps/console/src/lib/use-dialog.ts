import { useCallback, useState } from 'react';

/**
 * Which dialog is open and for what. Closing keeps the value so the dialog's content stays put
 * while it fades out; `key` changes on every opening so forms inside start fresh.
 */
export function useDialog<T>() {
  const [state, setState] = useState<{ value: T | null; opened: boolean; key: number }>({
    value: null,
    opened: false,
    key: 0,
  });
  const open = useCallback(
    (value: T) => setState((s) => ({ value, opened: true, key: s.key + 1 })),
    [],
  );
  const close = useCallback(() => setState((s) => ({ ...s, opened: false })), []);
  return { ...state, open, close };
}
