/** Whether a key press belongs to a text field (shortcuts stay out of typing). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/** A plain key press (no Ctrl/Alt/Meta) outside text fields and dialogs. */
export function isShortcutEvent(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return false;
  if (isTypingTarget(event.target)) return false;
  // An open modal or menu owns the keyboard.
  return document.querySelector('[role="dialog"][aria-modal="true"], [role="menu"]') === null;
}
