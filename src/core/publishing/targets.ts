// Where a post goes and how it is keyed: the idempotency key that makes the same approved
// text on one channel one post, what a reply answers on each platform (a Reddit fullname, a
// Mastodon status), and the URL a person records for a manual post.
import { createHash } from 'node:crypto';
import { ApiError } from '../../shared/contract';
import type { Mention } from '../../shared/schemas';
import type { ChannelRow } from '../store/publish-channels-repo';

/** sha256 of (response, content hash, channel): the same approved text on one channel is one post. */
export function idempotencyKey(responseId: number, contentHash: string, channelId: number): string {
  return `vedetta-${createHash('sha256').update(`${responseId}\u0000${contentHash}\u0000${channelId}`).digest('hex').slice(0, 40)}`;
}

/** Only http(s) URLs are recorded as where a manual post went. */
export function validPostUrl(raw: string): string | null {
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    if (!u.hostname.includes('.') && u.hostname !== 'localhost') return null;
    return u.href;
  } catch {
    return null;
  }
}

/** What the connector replies to, from the mention the response answers. */
export function targetFor(ch: ChannelRow, mentionId: number | null, mention: (id: number) => Mention | null): string | null {
  const m = mentionId !== null ? mention(mentionId) : null;
  if (mentionId !== null && !m) throw new ApiError('publishing.mentionGone', { id: mentionId });
  if (ch.kind === 'reddit') {
    const fromId = m?.externalId && /^t[13]_[a-z0-9]+$/i.test(m.externalId) ? m.externalId : null;
    const fromUrl = m?.url ? redditFullname(m.url) : null;
    const t = fromId ?? fromUrl;
    if (!t) throw new ApiError('publishing.redditReplyOnly', { channel: ch.name });
    return t;
  }
  if (ch.kind === 'mastodon') {
    if (!m) return null;
    const own = /^mastodon:(.+):[^:]+$/.exec(m.externalId ?? '');
    const host = (() => {
      try {
        return new URL(String(ch.config.instance ?? '')).host.toLowerCase();
      } catch {
        return '';
      }
    })();
    if (own && own[1]!.toLowerCase() === host) return m.externalId;
    if (m.url && /^https?:\/\//.test(m.url)) return m.url;
    throw new ApiError('publishing.mastodonNotStatus', { id: m.id, channel: ch.name });
  }
  return m?.url ?? m?.externalId ?? null;
}

/** t3_/t1_ fullname from a Reddit permalink (…/comments/POST/slug/COMMENT/). */
export function redditFullname(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (!/(^|\.)reddit\.com$/i.test(u.hostname)) return null;
  const m = /\/comments\/([a-z0-9]+)(?:\/[^/]*(?:\/([a-z0-9]+))?)?\/?$/i.exec(u.pathname);
  if (!m) return null;
  return m[2] ? `t1_${m[2].toLowerCase()}` : `t3_${m[1]!.toLowerCase()}`;
}
