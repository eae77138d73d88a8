/**
 * The conversations of the inbox list last shown, in order, so `j`/`k` in the workspace move to
 * the next or previous one without going back to the list.
 */
let order: string[] = [];

export function rememberInboxOrder(ids: string[]): void {
  order = ids;
}

export function neighbourInInbox(id: string, step: 1 | -1): string | null {
  const index = order.indexOf(id);
  if (index === -1) return order[0] ?? null;
  return order[index + step] ?? null;
}
