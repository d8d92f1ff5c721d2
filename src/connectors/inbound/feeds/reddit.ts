// The builder lives in shared so the source form can show the address and what it gives
// without asking core; the feed layer keeps exporting it under its old name.
export { redditFeedUrl, type RedditFeed, type RedditFeedTarget } from '../../../shared/reddit-feed';
