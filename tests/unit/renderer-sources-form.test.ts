// The source form as data: each kind becomes the contract input core validates, a stored
// source fills the form back, and "Reddit senza API" becomes an RSS source.
import { describe, expect, it } from 'vitest';
import { configOf, emptyForm, formOf, intervalSecOf, redditRssName, redditRssOf, secretFields, secretsOf } from '../../src/renderer/features/sources/sources-form';
import type { SourceView } from '../../src/shared/ops/sources';
import { PolledSourceConfigSchema } from '../../src/shared/sources';

describe('source form', () => {
  it('turns each kind into an input the shared schema accepts', () => {
    const rss = { ...emptyForm('rss'), url: ' https://www.esempio.it/feed ' };
    expect(configOf(rss)).toEqual({ kind: 'rss', config: { url: 'https://www.esempio.it/feed' } });
    const reddit = { ...emptyForm('reddit'), redditMode: 'search' as const, query: 'caffè aurora', clientId: 'abc' };
    const discourse = { ...emptyForm('discourse'), baseUrl: 'https://forum.esempio.it', discourseMode: 'topic' as const, topicId: '42' };
    const mastodon = { ...emptyForm('mastodon'), instanceUrl: 'https://mastodon.uno', hashtag: 'caffè' };
    for (const f of [rss, reddit, discourse, mastodon]) {
      const c = configOf(f);
      expect('error' in c).toBe(false);
      expect(PolledSourceConfigSchema.safeParse(c).success, f.kind).toBe(true);
    }
    expect(configOf(discourse)).toMatchObject({ config: { topicId: 42 } });
    expect(configOf(reddit)).toEqual({ kind: 'reddit', config: { mode: 'search', query: 'caffè aurora', clientId: 'abc' } });
  });

  it('Reddit without API is an RSS source at the address the form shows', () => {
    const f = { ...emptyForm('reddit_rss'), redditWay: 'search' as const, query: 'aurora', subreddit: 'italy' };
    const r = redditRssOf(f);
    expect(r && 'url' in r && r.url).toBe('https://www.reddit.com/r/italy/search.rss?q=aurora&sort=new&restrict_sr=on');
    expect(configOf(f)).toEqual({ kind: 'rss', config: { url: 'https://www.reddit.com/r/italy/search.rss?q=aurora&sort=new&restrict_sr=on' } });
    expect(redditRssOf({ ...f, redditWay: 'subreddit', subreddit: 'no spaces!' })).toEqual({ error: 'nome di subreddit non valido: "no spaces!"' });
    expect(configOf({ ...emptyForm('reddit_rss') })).toEqual({ error: 'reddit_incomplete' });
    expect(redditRssName(f)).toBe('Reddit: "aurora" in r/italy (RSS)');
    expect(redditRssName({ ...f, redditWay: 'subreddit', subreddit: 'r/milano' })).toBe('r/milano (RSS)');
  });

  it('fills back from a stored source; blank credentials are not sent; minutes become seconds', () => {
    const s: SourceView = {
      id: 3, kind: 'mastodon', name: '#caffè', enabled: true, createdAt: '', mentionCount: 0, lastItemAt: null, polled: true,
      intervalSec: 900, config: { instanceUrl: 'https://mastodon.uno', mode: 'account', account: 'brand' }, secretNames: ['accessToken'],
      health: { state: 'ok', lastSuccessAt: null, lastError: null, consecutiveFailures: 0, nextPollAt: null, pausedReason: null, itemsLastHour: 0, futureDated: null },
    };
    const f = formOf(s);
    expect(f).toMatchObject({ kind: 'mastodon', name: '#caffè', intervalMin: '15', mastodonMode: 'account', account: 'brand' });
    expect(secretsOf(f)).toBeUndefined();
    expect(secretsOf({ ...f, secrets: { ...f.secrets, accessToken: 't' } })).toEqual({ accessToken: 't' });
    expect(intervalSecOf({ ...f, intervalMin: '2,5' })).toBe(150);
    expect(intervalSecOf({ ...f, intervalMin: '' })).toBeUndefined();
    expect(secretFields('reddit')).toEqual(['clientSecret', 'password', 'refreshToken']);
    expect(secretFields('rss')).toEqual([]);
  });
});
