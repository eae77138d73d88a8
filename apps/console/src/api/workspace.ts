import type { TContact, TRenderedCannedResponse } from '@kefu/shared';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';
import type { TCannedList, TContactDetail, TKbSearch } from './types.ts';

// Reads the conversation workspace needs besides the conversation itself: the customer,
// canned responses and knowledge-base articles.

function fetchContact(id: string, signal?: AbortSignal) {
  return api.get<TContactDetail>(`/contacts/${id}`, undefined, signal);
}

/** A customer with their conversations (previous tickets). */
export function useContact(id: string | null | undefined) {
  return useQuery({
    queryKey: queryKeys.contact(id ?? ''),
    queryFn: ({ signal }) => fetchContact(id ?? '', signal),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
}

/**
 * The customers of an inbox page, by id. The list API carries only contact ids, so the console
 * asks for each customer once and keeps them cached.
 */
export function useContactsById(ids: readonly string[]): Map<string, TContact> {
  const unique = useMemo(() => [...new Set(ids)], [ids]);
  return useQueries({
    queries: unique.map((id) => ({
      queryKey: queryKeys.contact(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchContact(id, signal),
      staleTime: 5 * 60_000,
      retry: false,
    })),
    combine: contactMap,
  });
}

function contactMap(results: { data?: TContactDetail | undefined }[]): Map<string, TContact> {
  const map = new Map<string, TContact>();
  for (const result of results)
    if (result.data) map.set(result.data.contact.id, result.data.contact);
  return map;
}

export function useCannedResponses(q: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.canned(q),
    queryFn: ({ signal }) =>
      api.get<TCannedList>('/canned-responses', q ? { q } : undefined, signal),
    select: (data) => data.cannedResponses,
    enabled,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

export function renderCannedResponse(id: string, conversationId: string) {
  return api.post<TRenderedCannedResponse>(`/canned-responses/${id}/render`, { conversationId });
}

export function useKbSearch(q: string, locale: string) {
  const query = q.trim();
  return useQuery({
    queryKey: queryKeys.kbSearch(query, locale),
    queryFn: ({ signal }) =>
      api.get<TKbSearch>('/kb/search', { q: query, locale, limit: 8 }, signal),
    select: (data) => data.hits,
    enabled: query.length > 0,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

/** The help center's address of an article (the search answer has no URL). */
export function articleUrl(locale: string, slug: string): string {
  return `${window.location.origin}/help/${locale}/articles/${encodeURIComponent(slug)}`;
}
