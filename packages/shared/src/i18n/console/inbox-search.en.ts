/** Console strings of the inbox search and filters (English). */
export const inboxSearchEn = {
  search: 'Search conversations',
  searchPlaceholder: 'Search: words, 提币, ticket #, UID, email, TxID…',
  filters: 'Filters',
  filtersActive: 'Filters ({{count}})',
  channel: 'Channel',
  priority: 'Priority',
  language: 'Language',
  intent: 'Intent',
  intentPlaceholder: 'e.g. deposit.not_credited',
  label: 'Label',
  labelPlaceholder: 'e.g. usdt',
  vip: 'VIP customers only',
  any: 'Any',
  clear: 'Clear filters',
  noResultsTitle: 'No conversation matches',
  noResultsBody:
    'Nothing in this view matches the search and filters. Try other words or clear the filters.',
};
