// Over 400 lines on purpose: the audiences' one vocabulary (schemas) with its pure rules (membership, strength, risk area), shared as is by core, CLI and renderer.
// Audiences and risk: who a moment speaks to. An audience is a named group of people found by
// membership rules (sources, communities, hashtags, perimeter themes, pseudonymous authors),
// of a type (primary: tied to the brand/product; secondary: tied to the event; generic: both),
// and strong or weak from its reach, engagement and velocity. A moment's risk area is strong
// when a large part of it comes from a strong audience. Pure: no Node, no DOM.
import { z } from 'zod';
import { sayRisk, type RiskSay } from './risk-text';
import { foldName } from './text';

export const AudienceTypeSchema = z.enum(['primary', 'secondary', 'generic']);
export type AudienceType = z.infer<typeof AudienceTypeSchema>;
export const StrengthSchema = z.enum(['strong', 'weak']);
export type Strength = z.infer<typeof StrengthSchema>;
export const RiskAreaSchema = z.enum(['strong', 'weak']);
export type RiskArea = z.infer<typeof RiskAreaSchema>;

const entry = (max: number, empty: string, tooLong: string) => z.string().trim().min(1, empty).max(max, tooLong);

export const AudienceRulesSchema = z.object({
  /** Source names, as the Sources view shows them ("Instagram @caffeaurora"). */
  sources: z.array(entry(200, 'schema.sourceNameEmpty', 'schema.sourceNameTooLong')).max(200, 'schema.maxSources').default([]),
  /** Subreddits ("r/italy"), forums, thread ids: where the mention was written. */
  communities: z.array(entry(300, 'schema.communityEmpty', 'schema.communityTooLong')).max(200, 'schema.maxCommunities').default([]),
  /** Hashtags, with or without "#". */
  hashtags: z.array(entry(100, 'schema.hashtagEmpty', 'schema.hashtagTooLong')).max(200, 'schema.maxHashtags').default([]),
  /** Perimeter themes whose matches belong to the audience. */
  themeIds: z.array(z.number().int()).max(500).default([]),
  /** Pseudonymous author keys (as the inbox shows them). */
  authorKeys: z.array(entry(200, 'schema.authorKeyEmpty', 'schema.authorKeyTooLong')).max(1_000, 'schema.maxAuthors').default([]),
  /** Brands whose own accounts (declared in Perimetri) bring their mentions into the audience. */
  ownedBrandIds: z.array(z.number().int()).max(500).default([]),
}).strict();
export type AudienceRules = z.infer<typeof AudienceRulesSchema>;

export const AudienceInputSchema = z.object({
  name: z.string().trim().min(1, 'schema.nameRequired').max(120, 'schema.nameTooLong'),
  type: AudienceTypeSchema,
  rules: AudienceRulesSchema,
  /** A strategist's judgment over the computed strength; null follows the figures. */
  override: StrengthSchema.nullable().default(null),
}).strict().refine(
  (a) => a.rules.sources.length + a.rules.communities.length + a.rules.hashtags.length + a.rules.themeIds.length + a.rules.authorKeys.length + a.rules.ownedBrandIds.length > 0,
  { message: 'schema.audienceRule', path: ['rules'] },
);
export type AudienceInput = z.infer<typeof AudienceInputSchema>;

/** What strength is computed from. */
export const StrengthFiguresSchema = z.object({
  mentions: z.number().int(),
  authors: z.number().int(),
  /** Visible approval: likes plus positive scores (votes), summed. */
  reach: z.number().int(),
  /** Interactions per mention: likes + comments + shares + |score|. */
  engagement: z.number(),
  /** Peak mentions per minute over any 5 minutes (an author counts at most 3 times). */
  velocity: z.number(),
  /** Share of the mentions written by the most active author, in [0, 1]. */
  topAuthorShare: z.number(),
  /** Share of the mentions that are comments (replies), in [0, 1]. */
  commentShare: z.number(),
});
export type StrengthFigures = z.infer<typeof StrengthFiguresSchema>;

/** Why a strength came out as it did. */
export const StrengthReasonSchema = z.enum(['velocity', 'reach', 'override', 'tiny', 'dominated', 'low']);
export type StrengthReason = z.infer<typeof StrengthReasonSchema>;

export const StrengthResultSchema = z.object({
  strength: StrengthSchema,
  /** Computed before the override, so the figures and the judgment both show. */
  computed: StrengthSchema,
  /** In [0, 1]; 0.5 and above is strong. */
  index: z.number(),
  reason: StrengthReasonSchema,
});
export type StrengthResult = z.infer<typeof StrengthResultSchema>;

export const AudienceSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: AudienceTypeSchema,
  rules: AudienceRulesSchema,
  override: StrengthSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Stored mentions currently in the audience. */
  mentionCount: z.number().int(),
  /** Figures over the audience's last 24 hours of stream time (its newest 1,000 mentions at most). */
  figures: StrengthFiguresSchema,
  strength: StrengthResultSchema,
});
export type Audience = z.infer<typeof AudienceSchema>;

export const AudienceRematchSchema = z.object({
  running: z.boolean(),
  done: z.number().int(),
  total: z.number().int(),
});
export type AudienceRematch = z.infer<typeof AudienceRematchSchema>;

/** One audience's part in a moment. */
export const MomentAudienceSchema = z.object({
  audienceId: z.number().int(),
  name: z.string(),
  type: AudienceTypeSchema,
  count: z.number().int(),
  /** Of the moment's mentions, in [0, 1] (an item may belong to several audiences). */
  share: z.number(),
  figures: StrengthFiguresSchema,
  strength: StrengthResultSchema,
  /** Whether the share is large enough to weigh on the risk area. */
  significant: z.boolean(),
});
export type MomentAudience = z.infer<typeof MomentAudienceSchema>;

export const MomentRiskSchema = z.object({
  momentId: z.number().int(),
  area: RiskAreaSchema,
  /** In [0, 1]: the strongest significant audience's index (the map's y). */
  index: z.number(),
  /** In [0, 1] along primary → secondary → generic (the map's x); null when no audience is touched. */
  position: z.number().nullable(),
  volume: z.number().int(),
  audiences: z.array(MomentAudienceSchema),
  /** Mentions of the moment in no audience. */
  unmatched: z.number().int(),
  /** One line a manager understands, in Italian. */
  explanation: z.string(),
  computedAt: z.string(),
});
export type MomentRisk = z.infer<typeof MomentRiskSchema>;

export const CHECKLIST_ITEMS = ['timing', 'pertinence', 'coherence', 'product'] as const;
export const ChecklistItemSchema = z.enum(CHECKLIST_ITEMS);
export type ChecklistItem = z.infer<typeof ChecklistItemSchema>;

export const ChecklistEntrySchema = z.object({
  done: z.boolean(),
  note: z.string().max(1_000, 'schema.noteTooLong'),
  /** Wall clock of the last change, ISO 8601; null if never touched. */
  at: z.string().nullable(),
});
export type ChecklistEntry = z.infer<typeof ChecklistEntrySchema>;

/** "Prima di intervenire": what a team checks before the brand speaks in a moment. */
export const ChecklistSchema = z.object({
  momentId: z.number().int(),
  items: z.object({
    timing: ChecklistEntrySchema,
    pertinence: ChecklistEntrySchema,
    coherence: ChecklistEntrySchema,
    product: ChecklistEntrySchema,
  }),
  /** Every item checked. */
  complete: z.boolean(),
});
export type Checklist = z.infer<typeof ChecklistSchema>;

/** Hints computed from the moment, shown beside the checklist items. */
export const ChecklistHintsSchema = z.object({
  /** Minutes since the moment opened / since its last mention (stream time). */
  openMinutes: z.number(),
  quietMinutes: z.number(),
  /** Themes of the moment by stance. */
  inPerimeter: z.array(z.string()),
  sensitive: z.array(z.string()),
  forbidden: z.array(z.string()),
  /** Products of the perimeter named by the moment's mentions. */
  products: z.array(z.string()),
});
export type ChecklistHints = z.infer<typeof ChecklistHintsSchema>;

// --- the computation, shared so tests and the UI agree with core ---

/** Fewer mentions than this are never a strong audience: a handful of posts is not a crowd. */
export const MIN_STRONG_MENTIONS = 5;
/** Peak mentions per minute from which an audience is strong on velocity alone. */
export const VELOCITY_STRONG = 5;
/** Reach and engagement from which an audience is strong even when it is slow. */
export const REACH_STRONG = 20_000;
export const ENGAGEMENT_STRONG = 150;
/** Above this share of one author's mentions, the audience is one voice, not a crowd. */
export const DOMINANT_AUTHOR_SHARE = 0.5;
/** An audience weighs on a moment's risk from this share of its mentions (and 3 mentions). */
export const SIGNIFICANT_SHARE = 0.15;
export const SIGNIFICANT_MIN = 3;

/** Strength from the figures, then the strategist's override. */
export function computeStrength(f: StrengthFigures, override: Strength | null = null): StrengthResult {
  const v = f.velocity / VELOCITY_STRONG;
  const re = Math.sqrt((f.reach / REACH_STRONG) * (f.engagement / ENGAGEMENT_STRONG));
  // Half way at the bar, approaching 1 as the figures grow past it (5× the bar reads 0.9).
  const ratio = Math.max(v, re);
  let index = ratio < 1 ? 0.5 * ratio : 1 - 0.5 / ratio;
  let reason: StrengthReason = v >= 1 ? 'velocity' : re >= 1 ? 'reach' : 'low';
  if (f.mentions < MIN_STRONG_MENTIONS) {
    index = Math.min(index, 0.45 * (f.mentions / MIN_STRONG_MENTIONS) + 0.05);
    reason = 'tiny';
  } else if (f.topAuthorShare > DOMINANT_AUTHOR_SHARE && f.authors > 0) {
    // One author writing most of it says little about how many people care.
    index = Math.min(index, 0.45);
    reason = 'dominated';
  }
  index = Math.round(index * 1000) / 1000;
  const computed: Strength = index >= 0.5 ? 'strong' : 'weak';
  if (override && override !== computed) {
    return { strength: override, computed, index: override === 'strong' ? Math.max(index, 0.7) : Math.min(index, 0.3), reason: 'override' };
  }
  return { strength: computed, computed, index, reason };
}

/** The rows a computation of figures reads. */
export interface FigureRow {
  publishedAt: number;
  authorKey: string | null;
  likes: number;
  comments: number;
  shares: number;
  score: number;
  isComment: boolean;
}

const WINDOW_MS = 5 * 60_000;
const AUTHOR_CAP = 3;

export function computeFigures(rows: readonly FigureRow[]): StrengthFigures {
  const n = rows.length;
  if (n === 0) return { mentions: 0, authors: 0, reach: 0, engagement: 0, velocity: 0, topAuthorShare: 0, commentShare: 0 };
  const byAuthor = new Map<string, number>();
  let reach = 0;
  let inter = 0;
  let comments = 0;
  for (const r of rows) {
    if (r.authorKey) byAuthor.set(r.authorKey, (byAuthor.get(r.authorKey) ?? 0) + 1);
    reach += Math.max(0, r.likes) + Math.max(0, r.score);
    inter += Math.max(0, r.likes) + Math.max(0, r.comments) + Math.max(0, r.shares) + Math.abs(r.score);
    if (r.isComment) comments++;
  }
  let top = 0;
  for (const c of byAuthor.values()) if (c > top) top = c;
  // Velocity counts each author at most AUTHOR_CAP times: a flood by one account is not a crowd.
  const seen = new Map<string, number>();
  const times: number[] = [];
  for (const r of [...rows].sort((a, b) => a.publishedAt - b.publishedAt)) {
    if (r.authorKey) {
      const c = (seen.get(r.authorKey) ?? 0) + 1;
      seen.set(r.authorKey, c);
      if (c > AUTHOR_CAP) continue;
    }
    times.push(r.publishedAt);
  }
  let peak = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= WINDOW_MS) lo++;
    peak = Math.max(peak, hi - lo + 1);
  }
  return {
    mentions: n,
    authors: byAuthor.size,
    reach,
    engagement: Math.round((inter / n) * 10) / 10,
    velocity: Math.round((peak / 5) * 10) / 10,
    topAuthorShare: byAuthor.size > 0 ? Math.round((top / n) * 1000) / 1000 : 0,
    commentShare: Math.round((comments / n) * 1000) / 1000,
  };
}

export interface RiskAudienceInput {
  audienceId: number;
  name: string;
  type: AudienceType;
  override: Strength | null;
  rows: readonly FigureRow[];
}

const TYPE_X: Record<AudienceType, number> = { primary: 1 / 6, secondary: 3 / 6, generic: 5 / 6 };

/** The risk area of a moment from its mentions per audience. */
export function computeRisk(momentId: number, volume: number, unmatched: number, inputs: readonly RiskAudienceInput[], now: number): MomentRisk {
  const audiences: MomentAudience[] = inputs
    .filter((a) => a.rows.length > 0)
    .map((a) => {
      const figures = computeFigures(a.rows);
      const share = volume > 0 ? Math.min(1, a.rows.length / volume) : 0;
      return {
        audienceId: a.audienceId,
        name: a.name,
        type: a.type,
        count: a.rows.length,
        share: Math.round(share * 1000) / 1000,
        figures,
        strength: computeStrength(figures, a.override),
        significant: share >= SIGNIFICANT_SHARE && a.rows.length >= SIGNIFICANT_MIN,
      };
    })
    .sort((a, b) => b.count - a.count || a.audienceId - b.audienceId);
  const sig = audiences.filter((a) => a.significant);
  const strong = sig.filter((a) => a.strength.strength === 'strong');
  const area: RiskArea = strong.length > 0 ? 'strong' : 'weak';
  const index = sig.length > 0 ? Math.max(...sig.map((a) => a.strength.index)) : audiences.length > 0 ? Math.min(0.2, Math.max(...audiences.map((a) => a.strength.index))) : 0.05;
  const wsum = sig.reduce((s, a) => s + a.share, 0);
  const position = sig.length > 0 ? sig.reduce((s, a) => s + TYPE_X[a.type] * a.share, 0) / wsum : audiences.length > 0 ? TYPE_X[audiences[0]!.type] : null;
  const risk: MomentRisk = {
    momentId,
    area,
    index: Math.round(index * 1000) / 1000,
    position: position === null ? null : Math.round(position * 1000) / 1000,
    volume,
    audiences,
    unmatched,
    explanation: '',
    computedAt: new Date(now).toISOString(),
  };
  risk.explanation = explainRisk(risk, 'it');
  return risk;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const num = (x: number, locale: 'it' | 'en'): string => x.toLocaleString(locale === 'it' ? 'it-IT' : 'en-GB', { maximumFractionDigits: 1 });

/**
 * What a moment's risk line says, as facts rather than words: the risk.changed event carries
 * it, and each client words it in its language (`riskLine`).
 */
export const RiskExplainSchema = z.object({
  area: RiskAreaSchema,
  volume: z.number().int(),
  /** The audience the line names; null when no audience touches the moment. */
  lead: z
    .object({
      name: z.string(),
      type: AudienceTypeSchema,
      share: z.number(),
      ofComments: z.boolean(),
      velocity: z.number(),
      count: z.number().int(),
      significant: z.boolean(),
      reason: StrengthReasonSchema,
      topAuthorShare: z.number(),
      engagement: z.number(),
    })
    .nullable(),
  /** Types of the significant audiences, when more than one. */
  types: z.array(AudienceTypeSchema),
});
export type RiskExplain = z.infer<typeof RiskExplainSchema>;

export function riskExplainOf(r: Pick<MomentRisk, 'area' | 'audiences' | 'volume'>): RiskExplain {
  if (r.audiences.length === 0) return { area: r.area, volume: r.volume, lead: null, types: [] };
  const sig = r.audiences.filter((a) => a.significant);
  const lead = (r.area === 'strong' ? sig.find((a) => a.strength.strength === 'strong') : sig[0]) ?? r.audiences[0]!;
  const types = [...new Set(sig.map((a) => a.type))];
  return {
    area: r.area,
    volume: r.volume,
    lead: {
      name: lead.name,
      type: lead.type,
      share: lead.share,
      ofComments: lead.figures.commentShare >= 0.5,
      velocity: lead.figures.velocity,
      count: lead.count,
      significant: lead.significant,
      reason: lead.strength.reason,
      topAuthorShare: lead.figures.topAuthorShare,
      engagement: lead.figures.engagement,
    },
    types: types.length > 1 ? types : [],
  };
}

/** The one line a manager reads: "forte: 62% dei commenti dal pubblico primario «…», 40/min". */
export function riskLine(x: RiskExplain, say: RiskSay, locale: 'it' | 'en'): string {
  const head = say(x.area === 'strong' ? 'risk.explain.strong' : 'risk.explain.weak');
  const lead = x.lead;
  if (!lead) return say('risk.explain.none', { head, volume: String(x.volume) });
  const typeWord = (t: AudienceType): string => say(`risk.explain.type.${t}`);
  let line = say('risk.explain.lead', {
    head,
    share: pct(lead.share),
    what: say(lead.ofComments ? 'risk.explain.ofComments' : 'risk.explain.ofMentions'),
    type: typeWord(lead.type),
    name: lead.name,
    velocity: num(lead.velocity, locale),
  });
  if (x.types.length > 1) line += say('risk.explain.several', { types: x.types.map(typeWord).join(', ') });
  if (x.area === 'weak') {
    if (!lead.significant) line += say('risk.explain.tooSmall');
    else if (lead.reason === 'tiny') line += say('risk.explain.tiny', { count: String(lead.count) });
    else if (lead.reason === 'dominated') line += say('risk.explain.dominated', { share: pct(lead.topAuthorShare) });
    else if (lead.reason === 'override') line += say('risk.explain.overrideWeak');
    else line += say('risk.explain.low');
  } else if (lead.reason === 'reach') {
    line += say('risk.explain.reach', { engagement: num(lead.engagement, locale) });
  } else if (lead.reason === 'override') {
    line += say('risk.explain.overrideStrong');
  }
  return line;
}

/** The line in a language, outside the renderer (core stores and sends the Italian one). */
export function explainRisk(r: Pick<MomentRisk, 'area' | 'audiences' | 'volume'>, locale: 'it' | 'en' = 'it'): string {
  return riskLine(riskExplainOf(r), sayRisk(locale), locale);
}

// --- membership ---


/** A community as a rule names it: "r/italy", "https://reddit.com/r/italy/" and "/r/Italy" are one. */
export function normalizeCommunity(s: string): string {
  const f = foldName(s).replace(/^https?:\/\/(www\.|old\.)?reddit\.com/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  return f;
}

export function normalizeHashtag(s: string): string {
  return foldName(s).replace(/^#+/, '');
}

const SUBREDDIT = /(?:^|[\s/])r\/([A-Za-z0-9_]{2,21})/;
const HASHTAG = /#([\p{L}\p{N}_]+)/gu;

/** The communities a mention was written in: its subreddit (from URL or source name) and its thread. */
export function communitiesOf(m: { sourceName: string; url: string | null; threadId: string | null }): string[] {
  const out: string[] = [];
  const fromUrl = m.url ? SUBREDDIT.exec(m.url.replace(/^https?:\/\/[^/]+/, '')) : null;
  const fromName = SUBREDDIT.exec(m.sourceName);
  const sub = fromUrl?.[1] ?? fromName?.[1];
  if (sub) out.push(`r/${sub.toLowerCase()}`);
  if (m.threadId) out.push(foldName(m.threadId));
  return out;
}

export function hashtagsOf(title: string | null, text: string): string[] {
  const s = title ? `${title} ${text.slice(0, 20_000)}` : text.slice(0, 20_000);
  const out = new Set<string>();
  for (const m of s.matchAll(HASHTAG)) out.add(normalizeHashtag(m[1]!));
  return [...out];
}

/** The rules compiled for fast tests. */
export interface CompiledRules {
  sources: Set<string>;
  communities: Set<string>;
  hashtags: Set<string>;
  themeIds: Set<number>;
  authorKeys: Set<string>;
  ownedBrandIds: Set<number>;
}

export function compileRules(r: AudienceRules): CompiledRules {
  return {
    sources: new Set(r.sources.map(foldName)),
    communities: new Set(r.communities.map(normalizeCommunity)),
    hashtags: new Set(r.hashtags.map(normalizeHashtag)),
    themeIds: new Set(r.themeIds),
    authorKeys: new Set(r.authorKeys.map((k) => k.trim())),
    ownedBrandIds: new Set(r.ownedBrandIds),
  };
}

export interface MemberCandidate {
  sourceName: string;
  url: string | null;
  threadId: string | null;
  title: string | null;
  text: string;
  authorKey: string | null;
  themeIds: readonly number[];
}

/**
 * Whether a mention belongs to an audience: any rule matching is enough. `cache.owner` is the
 * brand whose own account the mention is on (core's owned-account resolver; unknown: no match).
 */
export function isMember(c: CompiledRules, m: MemberCandidate, cache?: { communities?: string[]; hashtags?: string[]; owner?: number | null }): boolean {
  if (c.sources.size > 0 && c.sources.has(foldName(m.sourceName))) return true;
  if (c.ownedBrandIds.size > 0 && cache?.owner != null && c.ownedBrandIds.has(cache.owner)) return true;
  if (c.authorKeys.size > 0 && m.authorKey && c.authorKeys.has(m.authorKey)) return true;
  if (c.themeIds.size > 0 && m.themeIds.some((id) => c.themeIds.has(id))) return true;
  if (c.communities.size > 0) {
    const cs = cache?.communities ?? communitiesOf(m);
    if (cs.some((x) => c.communities.has(x))) return true;
  }
  if (c.hashtags.size > 0) {
    const hs = cache?.hashtags ?? hashtagsOf(m.title, m.text);
    if (hs.some((x) => c.hashtags.has(x))) return true;
  }
  return false;
}
