// Desktop notifications of the main process: a crisis that opens is announced with the
// system's notification, and a click brings the window forward on the Moments view; so is a
// colleague's assignment or note for the person signed in (notifyPersonal). Electron's
// Notification is injected (tests pass a stand-in; Electron cannot run here).
import type { CoreApp } from '../app/app';
import { riskLine, type RiskExplain } from '../shared/audiences';
import type { MomentSummary } from '../shared/moments';
import type { Notification } from '../shared/ops/notifications';
import { sayRisk } from '../shared/risk-text';
import { isolate } from '../shared/links';
import { renderText } from '../shared/errors';

/** The part of Electron's Notification class used here. */
export interface NotificationLike {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
}
export interface NotificationCtor {
  new (options: { title: string; body: string; urgency?: 'normal' | 'critical' | 'low'; silent?: boolean }): NotificationLike;
  isSupported(): boolean;
}

/**
 * Italian first: the desktop app's notifications follow the UI's default language. The title
 * is our own words only; what comes from outside (a moment's title holds terms people wrote)
 * goes in the body, bidi-isolated, so it can neither pose as the system nor reorder our words.
 */
export function crisisText(m: MomentSummary, locale: 'it' | 'en' = 'it'): { title: string; body: string } {
  const neg = m.negative;
  const what = isolate(m.title);
  // A crisis judged on a young baseline says so: the reader weighs it accordingly.
  const young = m.baselineFull ? '' : 'crisis.young';
  return {
    title: renderText('crisis.title', {}, locale),
    body: renderText('crisis.body', { what, volume: m.volume, negative: neg, young, minutes: m.baselineMinutes }, locale),
  };
}

export interface CrisisNotifierOptions {
  app: Pick<CoreApp, 'events'>;
  Notification: NotificationCtor;
  /** The UI's language when known (settings.locale). */
  locale?: () => 'it' | 'en';
  /** Brings the window forward (and shows the moment). */
  onClick?: (moment: MomentSummary) => void;
}

/** Listens to moments.changed and shows one notification per crisis that just opened. */
export function notifyCrises(opts: CrisisNotifierOptions): () => void {
  const shown = new Set<number>();
  return opts.app.events.on('moments.changed', ({ opened }) => {
    if (opened.length === 0 || !opts.Notification.isSupported()) return;
    for (const m of opened) {
      if (m.kind !== 'crisis' || shown.has(m.id)) continue;
      shown.add(m.id);
      const n = new opts.Notification({ ...crisisText(m, opts.locale?.() ?? 'it'), urgency: 'critical' });
      n.on('click', () => opts.onClick?.(m));
      n.show();
    }
  });
}

type StepKind = 'legal' | 'second' | 'owner';
const STEP_IT: Record<StepKind, string> = { legal: 'revisione legale', second: 'seconda approvazione', owner: "approvazione dell'owner" };
const STEP_EN: Record<StepKind, string> = { legal: 'legal review', second: 'second approval', owner: 'owner approval' };

export function reviewText(next: { kind: StepKind; title: string }, locale: 'it' | 'en' = 'it'): { title: string; body: string } {
  return locale === 'en'
    ? { title: `Response to approve: ${STEP_EN[next.kind]}`, body: `${isolate(next.title)} — open Vedetta to decide.` }
    : { title: `Risposta da approvare: ${STEP_IT[next.kind]}`, body: `${isolate(next.title)} — apri Vedetta per decidere.` };
}

export interface ReviewNotifierOptions {
  app: Pick<CoreApp, 'events'>;
  Notification: NotificationCtor;
  locale?: () => 'it' | 'en';
  /** Roles of the person signed in on this desktop; null: not known, everyone is told. */
  roles?: () => readonly string[] | null;
  onClick?: (responseId: number) => void;
}

/** Listens to responses.changed and tells the next reviewer that it is their turn. */
export function notifyReviewers(opts: ReviewNotifierOptions): () => void {
  return opts.app.events.on('responses.changed', ({ id, next }) => {
    if (!next || !opts.Notification.isSupported()) return;
    const roles = opts.roles?.() ?? null;
    if (roles && !roles.includes(next.role)) return;
    const n = new opts.Notification(reviewText(next, opts.locale?.() ?? 'it'));
    n.on('click', () => opts.onClick?.(id));
    n.show();
  });
}

export interface RiskChangeLike {
  momentId: number;
  title: string;
  from: 'strong' | 'weak' | null;
  to: 'strong' | 'weak';
  explain: RiskExplain;
}

/** The texts of the UI's risk toast (shared/risk-text), in the UI's language; the moment's title in the body. */
export function riskText(c: RiskChangeLike, locale: 'it' | 'en' = 'it'): { title: string; body: string } {
  const say = sayRisk(locale);
  return { title: say(c.to === 'strong' ? 'risk.notifyStrong' : 'risk.notifyWeak', {}), body: `${isolate(c.title)} — ${riskLine(c.explain, say, locale)}` };
}

/** Listens to risk.changed and shows one notification per change of risk area. */
export function notifyRiskChanges(opts: Omit<CrisisNotifierOptions, 'onClick'> & { onClick?: (momentId: number) => void }): () => void {
  return opts.app.events.on('risk.changed', ({ changes }) => {
    if (changes.length === 0 || !opts.Notification.isSupported()) return;
    for (const c of changes) {
      const n = new opts.Notification({ ...riskText(c, opts.locale?.() ?? 'it'), urgency: c.to === 'strong' ? 'critical' : 'normal' });
      n.on('click', () => opts.onClick?.(c.momentId));
      n.show();
    }
  });
}

const PERSONAL_TITLE = { assigned: 'notify.title.assigned', noted: 'notify.title.noted' } as const;
const PERSONAL_LINE = {
  assigned: { mention: 'notify.assigned.mention', moment: 'notify.assigned.moment', response: 'notify.assigned.response' },
  noted: { mention: 'notify.noted.mention', moment: 'notify.noted.moment', response: 'notify.noted.response' },
} as const;

/** The words of a person's notification, in the UI's language; names and titles bidi-isolated in the body. */
export function personalText(n: Notification, locale: 'it' | 'en' = 'it'): { title: string; body: string } {
  const who = n.by.displayName ? isolate(n.by.displayName) : renderText('notify.someone', {}, locale);
  const line = renderText(PERSONAL_LINE[n.kind][n.subject.kind], { who }, locale);
  return { title: renderText(PERSONAL_TITLE[n.kind], {}, locale), body: n.title ? `${line}: ${isolate(n.title)}` : line };
}

export interface PersonalNotifierOptions {
  app: Pick<CoreApp, 'events' | 'notifications'>;
  Notification: NotificationCtor;
  locale?: () => 'it' | 'en';
  /** The person signed in on this desktop (null: nobody, nothing is shown). */
  userId: () => number | null;
  /** Opens the notification's subject (and marks it read). */
  onClick?: (n: Notification) => void;
}

/**
 * Listens to notifications.changed and shows, for the person signed in here, each unread
 * notification not shown yet. What was there before this desktop started stays in the bell.
 */
export function notifyPersonal(opts: PersonalNotifierOptions): () => void {
  const startId = opts.app.notifications.lastId();
  const shownUpTo = new Map<number, number>();
  return opts.app.events.on('notifications.changed', ({ userIds }) => {
    const me = opts.userId();
    if (me === null || !userIds.includes(me) || !opts.Notification.isSupported()) return;
    // Marked read elsewhere: nothing new, and unreadAfter finds nothing past what was shown.
    const fresh = opts.app.notifications.unreadAfter(me, shownUpTo.get(me) ?? startId);
    for (const n of fresh) {
      shownUpTo.set(me, Math.max(shownUpTo.get(me) ?? 0, n.id));
      const shown = new opts.Notification(personalText(n, opts.locale?.() ?? 'it'));
      shown.on('click', () => opts.onClick?.(n));
      shown.show();
    }
  });
}
