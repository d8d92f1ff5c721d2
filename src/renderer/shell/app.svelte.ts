// Over 500 lines on purpose for now: issue #15 (feature modules) splits it along its seams (connection/session, settings, per-screen stores) in the one move of the whole tree; splitting it first would move it twice.
// The application shell's state: connection, settings (theme, locale, first run), the
// current screen, sources, the demo replay, the live rate, and the stores of each screen.
import type { OpOutput, VedettaApi } from '../../shared/contract';
import type { ReplayState, Settings, Theme } from '../../shared/schemas';
import type { SourceView } from '../../shared/ops/sources';
import { SourcesStore } from '../features/sources/sources.svelte';
import { ApiError } from '../../shared/contract';
import { renderError } from '../../shared/errors';
import { endsSession } from '../features/session/session-end';
import { i18n } from '../i18n/i18n.svelte';
import { connect, forgetToken } from '../lib/client';
import { ImportStore } from '../features/imports/imports.svelte';
import { InboxStore } from '../features/inbox/inbox.svelte';
import { Tier2Store } from '../features/tier2/tier2.svelte';
import { PublishingStore } from '../features/publishing/publishing.svelte';
import { PerimetersStore } from '../features/perimeters/perimeters.svelte';
import { MomentsStore } from '../features/moments/moments.svelte';
import { CrisesStore } from '../features/moments/crises.svelte';
import { ResponsesStore, type ComposeTarget } from '../features/responses/responses.svelte';
import { RiskStore } from '../features/risk/risk.svelte';
import { session } from '../features/session/session.svelte';
import { sentimentEngine } from '../features/sentiment/sentiment-engine.svelte';
import { AuditStore } from '../features/audit/audit.svelte';
import { UsersStore } from '../features/users/users.svelte';

export type Route = 'inbox' | 'moments' | 'risk' | 'perimeters' | 'sources' | 'import' | 'settings' | 'tier2' | 'responses' | 'users' | 'audit';
export type Phase = 'connecting' | 'no-token' | 'bad-token' | 'error' | 'setup' | 'signin' | 'welcome' | 'ready';
export type AppInfo = OpOutput<'app.info'>;

const THEME_KEY = 'vedetta.theme';
const LOCALE_KEY = 'vedetta.locale';
const READY_TIMEOUT_MS = 5_000;
export const DEFAULT_DEMO_SPEED = 60;

/** Test hooks on <html>: E2E tests wait on these instead of sleeping. */
function markReady(): void {
  document.documentElement.dataset.ready = 'true';
}
function bumpIngested(): void {
  const el = document.documentElement;
  el.dataset.ingested = String(Number(el.dataset.ingested ?? '0') + 1);
}

export class AppStore {
  phase = $state<Phase>('connecting');
  /** Why the sign-in screen is shown again (the session expired), in the person's language. */
  signinNotice = $state<string | null>(null);
  error = $state<string | null>(null);
  online = $state(false);
  route = $state<Route>('inbox');
  settings = $state.raw<Settings | null>(null);
  info = $state.raw<AppInfo | null>(null);
  sources = $state.raw<SourceView[]>([]);
  replay = $state.raw<ReplayState | null>(null);
  demoSpeed = $state(DEFAULT_DEMO_SPEED);
  demoError = $state<string | null>(null);
  settingsError = $state<string | null>(null);
  /** Ticks every 15 s so relative times ("3 min fa") stay true. */
  now = $state(Date.now());
  /** Mentions received in the last 60 s, and since the page opened. */
  ratePerMinute = $state(0);
  sessionCount = $state(0);

  inbox: InboxStore | null = $state.raw(null);
  imports: ImportStore | null = $state.raw(null);
  sourcesStore: SourcesStore | null = $state.raw(null);
  tier2: Tier2Store | null = $state.raw(null);
  publishing: PublishingStore | null = $state.raw(null);
  perimeters: PerimetersStore | null = $state.raw(null);
  moments: MomentsStore | null = $state.raw(null);
  /** Open crises nobody has taken in charge: the banner on every view. */
  crises: CrisesStore | null = $state.raw(null);
  audit: AuditStore | null = $state.raw(null);
  users: UsersStore | null = $state.raw(null);
  responses: ResponsesStore | null = $state.raw(null);
  risk: RiskStore | null = $state.raw(null);
  api: VedettaApi | null = null;
  /** Locked after inactivity: the screens stay mounted underneath, so nothing is lost. */
  locked = $state(false);
  #lastActivity = Date.now();

  #arrivals: { t: number; n: number }[] = [];
  #timers: ReturnType<typeof setInterval>[] = [];
  #unsubs: (() => void)[] = [];
  #sourcesTimer: ReturnType<typeof setTimeout> | null = null;
  #media: MediaQueryList | null = null;
  #wasOnline = false;

  constructor() {
    // Paint with the last known look before the backend answers.
    try {
      const theme = localStorage.getItem(THEME_KEY);
      if (theme === 'light' || theme === 'dark' || theme === 'system') this.#applyTheme(theme);
      else this.#applyTheme('system');
      const locale = localStorage.getItem(LOCALE_KEY);
      if (locale === 'it' || locale === 'en') i18n.setLocale(locale);
      else i18n.setLocale('it');
    } catch {
      this.#applyTheme('system');
      i18n.setLocale('it');
    }
  }

  #conn: Exclude<ReturnType<typeof connect>, { kind: 'no-token' }> | null = null;

  /** Connects, then asks who this window is: first run, sign-in, or the resumed session. */
  async boot(): Promise<void> {
    const conn = connect((online) => this.#onConnection(online), session.token);
    if (conn.kind === 'no-token') {
      this.phase = 'no-token';
      return;
    }
    this.#conn = conn;
    this.api = conn.api;
    let status: OpOutput<'auth.status'>;
    try {
      status = await conn.api.call('auth.status', {});
    } catch (e) {
      // auth.status is public: refused means the per-run token of the page is wrong.
      if (e instanceof ApiError && e.code === 'unauthorized') {
        forgetToken();
        conn.close();
        this.phase = 'bad-token';
        return;
      }
      this.phase = 'error';
      this.error = e instanceof Error ? e.message : String(e);
      return;
    }
    if (status.actor) {
      session.resume(status.actor);
      await this.#start();
      return;
    }
    // A token the server no longer knows is a session that expired while the page was away.
    const ended = session.token() ? 'session.expired' : session.takeEndedReason();
    if (session.token()) session.end();
    if (ended) this.signinNotice = renderError(ended);
    this.phase = status.needsSetup ? 'setup' : 'signin';
  }

  /** Sign-in form: null when signed in, else the message to show (nothing typed is lost). */
  async signIn(username: string, password: string): Promise<string | null> {
    if (!this.api) return null;
    try {
      session.begin(await this.api.call('auth.signIn', { username, password }));
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    await this.#start();
    return null;
  }

  /** First run: creates the administrator and signs them in. */
  async setup(input: { username: string; displayName: string; password: string }): Promise<string | null> {
    if (!this.api) return null;
    try {
      session.begin(await this.api.call('auth.setup', input));
    } catch (e) {
      if (e instanceof ApiError && e.details?.length) return `${e.message}: ${e.details.join('; ')}`;
      return e instanceof Error ? e.message : String(e);
    }
    await this.#start();
    return null;
  }

  async signOut(): Promise<void> {
    try {
      await this.api?.call('auth.signOut', {});
    } catch {
      /* the session may already be gone: signing out locally is what matters */
    }
    session.end();
    // A fresh page: nothing of the previous person's screens stays in memory.
    location.reload();
  }

  async #start(): Promise<void> {
    const conn = this.#conn;
    if (!conn) return;
    this.phase = 'connecting';
    const api = this.#guarded(conn.api);
    this.api = api;
    const inbox = new InboxStore(api);
    this.inbox = inbox;
    this.imports = new ImportStore(api);
    this.sourcesStore = new SourcesStore(api);
    this.tier2 = new Tier2Store(api);
    this.publishing = new PublishingStore(api);
    const perimeters = new PerimetersStore(api);
    this.perimeters = perimeters;
    const moments = new MomentsStore(api);
    // The desktop app notifies from its main process; the page only shows its toast there.
    moments.notifyInPage = conn.kind !== 'desktop';
    moments.onopen = (id) => {
      this.navigate('moments');
      moments.select(id);
    };
    this.moments = moments;
    const crises = new CrisesStore(api);
    this.crises = crises;
    this.audit = new AuditStore(api);
    this.users = new UsersStore(api);
    this.#watchActivity();
    const responses = new ResponsesStore(api);
    // As for crises: the desktop app tells the next reviewer from its main process.
    responses.notifyInPage = conn.kind !== 'desktop';
    // Only the person whose role is next hears about it.
    responses.roles = () => session.actor?.roles ?? null;
    responses.onopen = (id) => {
      this.navigate('responses');
      responses.select(id);
    };
    this.responses = responses;
    const risk = new RiskStore(api);
    risk.notifyInPage = conn.kind !== 'desktop';
    risk.onopen = (id) => this.openMoment(id);
    this.risk = risk;

    this.#unsubs.push(
      api.on('mentions.added', ({ items }) => {
        inbox.applyArrivals(items);
        this.#countArrivals(items.length);
        if (items.some((m) => !this.sources.some((s) => s.id === m.sourceId))) this.#refreshSourcesSoon();
        bumpIngested();
      }),
      api.on('mentions.flagged', ({ items }) => inbox.applyFlags(items)),
      // A correction made in another window: the badge changes here too.
      api.on('mentions.updated', ({ items }) => inbox.applyUpdates(items)),
      api.on('sources.changed', () => this.#refreshSourcesSoon()),
      api.on('sentiment.status', (s) => {
        // A finished re-score changed labels the inbox shows: it re-reads them.
        if (sentimentEngine.apply(s)) inbox.resync();
      }),
      api.on('moments.changed', ({ opened }) => {
        moments.changed(opened);
        crises.changed();
      }),
      // Someone took a crisis in charge (here or in another window): the banner goes, the
      // moment shows who.
      api.on('moments.acknowledged', ({ moment }) => {
        crises.changed(moment);
        moments.changed([]);
      }),
      // A click on a crisis's system notification (desktop: sent by the main process).
      api.on('moments.open', ({ id }) => this.openMoment(id)),
      api.on('responses.changed', (p) => responses.changed(p)),
      api.on('audiences.changed', ({ rematch }) => {
        risk.audiencesChanged(rematch);
        // Memberships changed: an inbox or moments list filtered by audience re-reads.
        if (this.inbox?.filters.audienceId != null) this.#resyncInboxSoon();
        if (moments.filters.audienceId != null) moments.changed([]);
      }),
      api.on('risk.changed', ({ changes }) => risk.riskChanged(changes)),
      api.on('perimeters.changed', () => void moments.loadThemes()),
      api.on('replay.state', (s) => {
        this.replay = s;
      }),
      api.on('perimeters.changed', () => {
        this.#refreshPerimetersSoon();
        // Matches changed (an edit's re-match finished): the inbox re-reads its chips.
        this.#resyncInboxSoon();
      }),
      api.on('perimeters.rematch', (s) => perimeters.setRematch(s)),
      api.on('import.finished', () => {
        void this.imports?.refresh();
        this.#refreshSourcesSoon();
      }),
    );
    this.#timers.push(
      setInterval(() => {
        this.now = Date.now();
        this.#trimRate();
      }, 15_000),
    );

    try {
      void perimeters.load();
      void sentimentEngine.load(api);
      const [settings, info, sources, replay] = await Promise.all([
        api.call('settings.get', {}),
        api.call('app.info', {}),
        api.call('sources.list', {}),
        api.call('demo.state', {}),
      ]);
      this.#applySettings(settings);
      this.info = info;
      this.sources = sources;
      this.replay = replay;
      // An idle replay reports speed 1: keep our default unless one is really running.
      if (replay.running && replay.speed > 0) this.demoSpeed = replay.speed;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') {
        // The session ended meanwhile (expired, or the person was disabled).
        session.end();
        if (e.key) this.signinNotice = e.message;
        this.phase = 'signin';
        return;
      }
      this.phase = 'error';
      this.error = e instanceof Error ? e.message : String(e);
      return;
    }

    // Events pushed before the socket is open would be lost: wait for it (bounded).
    await Promise.race([conn.ready, new Promise((r) => setTimeout(r, READY_TIMEOUT_MS))]);
    // The first-run choice is for people who may change things; the others go straight in.
    if (this.settings?.onboarded || !session.canEdit) await this.#enterInbox();
    else this.phase = 'welcome';
  }

  async #enterInbox(): Promise<void> {
    this.phase = 'ready';
    this.route = 'inbox';
    void this.moments?.load();
    void this.moments?.loadThemes();
    void this.crises?.load();
    void this.risk?.loadAudiences();
    try {
      await this.inbox?.load();
    } finally {
      markReady();
    }
  }

  /** First-run choice: replay the demo stream, or start with an empty inbox. */
  async chooseDemo(): Promise<void> {
    await this.startDemo(this.demoSpeed);
    // Stay on the welcome screen, with the reason, if the demo cannot start.
    if (this.demoError) return;
    await this.updateSettings({ onboarded: true });
    await this.#enterInbox();
  }

  async chooseEmpty(): Promise<void> {
    await this.updateSettings({ onboarded: true });
    await this.#enterInbox();
  }

  navigate(route: Route): void {
    this.route = route;
    if (route === 'sources') this.#refreshSourcesSoon(0);
    if (route === 'import') void this.imports?.refresh();
    if (route === 'perimeters') void this.perimeters?.load();
    if (route === 'settings') void this.#refreshInfo();
    if (route === 'moments') void this.moments?.load();
    if (route === 'audit') void this.audit?.load();
    if (route === 'users') void this.users?.load();
    if (route === 'responses') void this.responses?.load();
    if (route === 'risk') {
      void this.risk?.loadMap();
      void this.risk?.loadAudiences();
    }
  }

  /** Settings, scrolled to one of its sections (by element id) once it is on screen. */
  openSettingsSection(id: string): void {
    this.navigate('settings');
    requestAnimationFrame(() => document.getElementById(id)?.scrollIntoView({ block: 'start' }));
  }

  /** "Rispondi" on a mention or a moment: the Responses view with a new draft for it. */
  reply(target: ComposeTarget): void {
    this.navigate('responses');
    this.responses?.compose(target);
  }

  /** From an alert, the crisis banner or the risk map to one moment in the Moments view. */
  openMoment(id: number): void {
    this.navigate('moments');
    this.moments?.select(id);
  }

  /** "Vedi tutte" on the crisis banner: the Moments view showing the open crises. */
  openCrises(): void {
    this.navigate('moments');
    this.moments?.setFilters({ kind: 'crisis', state: 'open' });
  }

  async updateSettings(patch: Partial<Settings>): Promise<void> {
    if (!this.api) return;
    // Read-only people may still pick their language and theme, kept in this browser only.
    if (!session.canEdit) {
      if (this.settings) this.#applySettings({ ...this.settings, ...patch });
      return;
    }
    // Apply at once; the backend's answer is the truth if it differs.
    if (this.settings) this.#applySettings({ ...this.settings, ...patch });
    try {
      this.settingsError = null;
      this.#applySettings(await this.api.call('settings.update', patch));
    } catch (e) {
      this.settingsError = e instanceof Error ? e.message : String(e);
    }
  }

  async startDemo(speed: number = this.demoSpeed): Promise<void> {
    if (!this.api) return;
    this.demoError = null;
    try {
      this.demoSpeed = speed;
      this.replay = await this.api.call('demo.start', { speed });
    } catch (e) {
      this.demoError = e instanceof Error ? e.message : String(e);
    }
  }

  async stopDemo(): Promise<void> {
    if (!this.api) return;
    this.demoError = null;
    try {
      this.replay = await this.api.call('demo.stop', {});
    } catch (e) {
      this.demoError = e instanceof Error ? e.message : String(e);
    }
  }

  /** The same client, but a refused session (not a refused password) ends at the sign-in screen. */
  #guarded(inner: VedettaApi): VedettaApi {
    return {
      on: (event, listener) => inner.on(event, listener),
      call: async (op, input) => {
        try {
          return await inner.call(op, input);
        } catch (e) {
          if (e instanceof ApiError && endsSession(e) && this.phase === 'ready') {
            session.end(e.key ?? undefined);
            location.reload();
          }
          throw e;
        }
      },
    };
  }

  lock(): void {
    if (this.phase === 'ready') this.locked = true;
  }

  /** null when unlocked; else the message for the lock screen. */
  async unlock(password: string): Promise<string | null> {
    if (!this.api) return null;
    try {
      await this.api.call('auth.unlock', { password });
    } catch (e) {
      if (endsSession(e)) {
        // The session itself is gone (expired or disabled): sign in again, saying why.
        session.end(e instanceof ApiError ? (e.key ?? undefined) : undefined);
        location.reload();
      }
      return e instanceof Error ? e.message : String(e);
    }
    this.#lastActivity = Date.now();
    this.locked = false;
    return null;
  }

  #watchActivity(): void {
    const seen = (): void => {
      if (!this.locked) this.#lastActivity = Date.now();
    };
    const opts = { passive: true, capture: true } as const;
    for (const ev of ['pointerdown', 'keydown', 'wheel', 'pointermove'] as const) window.addEventListener(ev, seen, opts);
    this.#unsubs.push(() => {
      for (const ev of ['pointerdown', 'keydown', 'wheel', 'pointermove'] as const) window.removeEventListener(ev, seen, opts);
    });
    this.#timers.push(
      setInterval(() => {
        const minutes = this.settings?.lockMinutes ?? 0;
        if (minutes > 0 && !this.locked && this.phase === 'ready' && Date.now() - this.#lastActivity > minutes * 60_000) this.locked = true;
      }, 1_000),
    );
  }

  dispose(): void {
    for (const u of this.#unsubs) u();
    for (const t of this.#timers) clearInterval(t);
    this.inbox?.dispose();
    this.sourcesStore?.dispose();
    this.tier2?.dispose();
    this.publishing?.dispose();
    this.perimeters?.dispose();
    this.moments?.dispose();
    this.crises?.dispose();
    this.responses?.dispose();
    this.risk?.dispose();
  }

  /** From a moment to its mentions: the inbox filtered by it. */
  showMomentMentions(id: number, title: string): void {
    this.navigate('inbox');
    this.inbox?.setFilters({ momentId: id, momentTitle: title });
  }

  #applySettings(s: Settings): void {
    this.settings = s;
    i18n.setLocale(s.locale);
    this.#applyTheme(s.theme);
    try {
      localStorage.setItem(THEME_KEY, s.theme);
      localStorage.setItem(LOCALE_KEY, s.locale);
    } catch {
      /* cosmetic cache only */
    }
  }

  #applyTheme(theme: Theme): void {
    const root = document.documentElement;
    if (!this.#media && typeof matchMedia === 'function') {
      this.#media = matchMedia('(prefers-color-scheme: dark)');
      this.#media.addEventListener('change', () => {
        if ((this.settings?.theme ?? 'system') === 'system') this.#applyTheme('system');
      });
    }
    const resolved = theme === 'system' ? (this.#media?.matches ? 'dark' : 'light') : theme;
    root.dataset.theme = resolved;
  }

  #onConnection(online: boolean): void {
    this.online = online;
    if (online && this.#wasOnline === false && this.phase === 'ready') {
      // Back after a drop: what was pushed meanwhile is gone, so re-read.
      this.inbox?.resync();
      this.#refreshSourcesSoon(0);
      if (this.api) void sentimentEngine.load(this.api);
      void this.api?.call('demo.state', {}).then((s) => (this.replay = s)).catch(() => undefined);
    }
    this.#wasOnline = online;
  }

  #countArrivals(n: number): void {
    const t = Date.now();
    this.#arrivals.push({ t, n });
    this.sessionCount += n;
    this.#trimRate(t);
  }

  #trimRate(t = Date.now()): void {
    while (this.#arrivals.length && this.#arrivals[0]!.t < t - 60_000) this.#arrivals.shift();
    this.ratePerMinute = this.#arrivals.reduce((s, a) => s + a.n, 0);
  }

  #perimetersTimer: ReturnType<typeof setTimeout> | null = null;
  #refreshPerimetersSoon(delay = 300): void {
    if (this.#perimetersTimer) return;
    this.#perimetersTimer = setTimeout(() => {
      this.#perimetersTimer = null;
      void this.perimeters?.load();
    }, delay);
  }

  #inboxTimer: ReturnType<typeof setTimeout> | null = null;
  #resyncInboxSoon(delay = 800): void {
    if (this.#inboxTimer) return;
    this.#inboxTimer = setTimeout(() => {
      this.#inboxTimer = null;
      if (this.phase === 'ready') this.inbox?.resync();
    }, delay);
  }

  #refreshSourcesSoon(delay = 400): void {
    if (this.#sourcesTimer || !this.api) return;
    const api = this.api;
    this.#sourcesTimer = setTimeout(async () => {
      this.#sourcesTimer = null;
      try {
        this.sources = await api.call('sources.list', {});
      } catch {
        /* kept the previous list; the next change retries */
      }
    }, delay);
  }

  async #refreshInfo(): Promise<void> {
    try {
      if (this.api) this.info = await this.api.call('app.info', {});
    } catch {
      /* the previous info stays on screen */
    }
  }
}

export const app = new AppStore();
