import type { TAuditEntry } from '@kefu/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';
import type { TAuditList } from './types.ts';

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilter = {
  action?: string;
  actorId?: string;
  targetId?: string;
  since?: string;
  until?: string;
};

function plusOneMillisecond(iso: string): string {
  return new Date(new Date(iso).getTime() + 1).toISOString();
}

/**
 * Newest first; "load older" asks for entries before the last one shown. The API's cursor is
 * a timestamp (millisecond precision) while entries can share a millisecond, so the console
 * asks from one millisecond later and drops the entries it already has; if a whole page lies
 * in one millisecond it falls back to the strict cursor so that paging always moves on.
 */
export function useAuditLog(filter: AuditFilter) {
  const key: Record<string, string> = {};
  for (const [name, value] of Object.entries(filter)) if (value) key[name] = value;
  return useInfiniteQuery({
    queryKey: queryKeys.audit(key),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<TAuditList>('/audit', { ...key, before: pageParam, limit: AUDIT_PAGE_SIZE }, signal),
    getNextPageParam: (lastPage, _pages, lastPageParam) => {
      const last = lastPage.entries.at(-1);
      if (!last || lastPage.entries.length < AUDIT_PAGE_SIZE) return undefined;
      const cursor = plusOneMillisecond(last.at);
      return cursor === lastPageParam ? last.at : cursor;
    },
    select: (data) => {
      const seen = new Set<string>();
      const entries: TAuditEntry[] = [];
      for (const page of data.pages) {
        for (const entry of page.entries) {
          if (seen.has(entry.id)) continue;
          seen.add(entry.id);
          entries.push(entry);
        }
      }
      return entries;
    },
  });
}
