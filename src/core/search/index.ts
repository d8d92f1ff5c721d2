// The search feature's one face: the inbox search in the perimeter query language (and, with
// issue #17, the saved searches).
export { InboxSearch, isPlainSearch, searchAst, SEARCH_SCAN_MAX, type SearchPage } from './inbox-search';
