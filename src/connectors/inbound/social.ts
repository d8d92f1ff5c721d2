// The social connectors, by kind, for the inbound registry (the feed connector lives with
// the feeds). Each is used only through the Connector interface.
import type { Connector } from '../../core/sources/ports';
import { discourseConnector } from './discourse';
import { mastodonConnector } from './mastodon';
import { redditConnector } from './reddit';

export const socialConnectors: { reddit: Connector<'reddit'>; discourse: Connector<'discourse'>; mastodon: Connector<'mastodon'> } = {
  reddit: redditConnector,
  discourse: discourseConnector,
  mastodon: mastodonConnector,
};
