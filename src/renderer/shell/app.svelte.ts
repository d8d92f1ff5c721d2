// Over 400 lines on purpose: the start, the moves between screens and the creation and wiring of every feature's store read as one sequence; each feature's logic stays in its own store.
// The application shell's state: the start (connection, who this window is, first run), the
// current screen and the moves between screens, and the features' stores, created once the
// person is signed in. Each store follows its own server events (features/README.md); what
// crosses features (an arrival counted in the top bar, a moment opened from a notification)
// is wired here.
import type { OpOutput, VedettaApi } from '../../shared/contract';
import type { DemoPerson } from '../../shared/ops/auth';
import { ApiError } from '../../shared/contract';
import { renderError } from '../../shared/errors';
import { connect, forgetToken } from '../lib/client';
import { listen } from '../lib/events';
import { assignments } from '../features/assignments/assignments.svelte';
import { presence } from '../features/presence/presence.svelte';
import { AuditStore } from '../features/audit/audit.svelte';
import { DemoStore } from '../features/demo/demo.svelte';
import { ImportStore } from '../features/imports/imports.svelte';
import { InboxStore } from '../features/inbox/inbox.svelte';
import { SavedSearchesStore } from '../features/inbox/saved-searches.svelte';
import { WarRoomStore } from '../features/inbox/war-room.svelte';
import { NotesStore } from '../features/notes/notes.svelte';
import { ReadsStore } from '../features/notes/reads.svelte';
import { TagsStore } from '../features/tags/tags.svelte';
import { BulkStore } from '../features/bulk/bulk.svelte';
import { CrisesStore } from '../features/moments/crises.svelte';
import { MomentsStore } from '../features/moments/moments.svelte';
import { PerimetersStore } from '../features/perimeters/perimeters.svelte';
import { PublishingStore } from '../features/publishing/publishing.svelte';
import { ResponsesStore, type ComposeTarget } from '../features/responses/responses.svelte';
import { RiskStore } from '../features/risk/risk.svelte';
import { sentimentEngine } from '../features/sentiment/sentiment-engine.svelte';
import { IdleLock } from '../features/session/idle-lock.svelte';
import { endsSession } from '../features/session/session-end';
import { session } from '../features/session/session.svelte';
import { paintLastLook } from '../features/settings/look';
import { SettingsStore } from '../features/settings/settings.svelte';
import { WebhookKeysStore } from '../features/settings/webhook-keys.svelte';
import { workspace } from '../features/workspace/workspace.svelte';
import { SourcesStore } from '../features/sources/sources.svelte';
import { Tier2Store } from '../features/tier2/tier2.svelte';
import { UsersStore } from '../features/users/users.svelte';
import { LiveRate } from './live-rate.svelte';
import { dirtyForms } from '../ui/dirty-forms';
import { NotificationsStore } from '../features/notifications/notifications.svelte';
import type { Subject } from '../../shared/ops/notifications';

export type Route = 'inbox' | 'moments' | 'risk' | 'perimeters' | 'sources' | 'import' | 'settings' | 'tier2' | 'responses' | 'users' | 'audit';
export type Phase = 'connecting' | 'no-token' | 'bad-token' | 'code-spent' | 'error' | 'setup' | 'signin' | 'welcome' | 'ready';

const READY_TIMEOUT_MS = 5_000;

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
  /** A demo workspace's people, offered on the sign-in screen for one click (empty elsewhere). */
  demoPeople = $state.raw<DemoPerson[]>([]);
  error = $state<string | null>(null);
  online = $state(false);
  route = $state<Route>('inbox');
  /** Ticks every 15 s so relative times ("3 min fa") stay true. */
  now = $state(Date.now());
  readonly rate = new LiveRate();

  settings: SettingsStore | null = $state.raw(null);
  demo: DemoStore | null = $state.raw(null);
  inbox: InboxStore | null = $state.raw(null);
  /** The inbox's saved searches and their counts. */
  saved: SavedSearchesStore | null = $state.raw(null);
  /** The war room (F in the inbox). */
  warRoom: WarRoomStore | null = $state.raw(null);
  imports: ImportStore | null = $state.raw(null);
  sources: SourcesStore | null = $state.raw(null);
  tier2: Tier2Store | null = $state.raw(null);
  publishing: PublishingStore | null = $state.raw(null);
  perimeters: PerimetersStore | null = $state.raw(null);
  moments: MomentsStore | null = $state.raw(null);
  /** Open crises nobody has taken in charge: the banner on every view. */
  crises: CrisesStore | null = $state.raw(null);
  audit: AuditStore | null = $state.raw(null);
  users: UsersStore | null = $state.raw(null);
  /** Administrators only: the others are refused the keys, so they get no store. */
  webhooks: WebhookKeysStore | null = $state.raw(null);
  responses: ResponsesStore | null = $state.raw(null);
  risk: RiskStore | null = $state.raw(null);
  /** The signed-in person's notifications: the top bar's bell. */
  notifications: NotificationsStore | null = $state.raw(null);
  /** The signed-in person's read marks, unread count and the open mention's "Visto da". */
  reads: ReadsStore | null = $state.raw(null);
  /** The workspace's tags and the inbox's selection with its bulk actions and undo. */
  tags: TagsStore | null = $state.raw(null);
  bulk: BulkStore | null = $state.raw(null);
  /** Notes of the open mention (inbox) and of the selected moment: one store per pane. */
  mentionNotes: NotesStore | null = $state.raw(null);
  momentNotes: NotesStore | null = $state.raw(null);
  /** Locked after inactivity: the screens stay mounted underneath, so nothing is lost. */
  idle: IdleLock | null = $state.raw(null);
  readonly locked = $derived(this.idle?.locked ?? false);

  #api: VedettaApi | null = null;
  #conn: Exclude<Awaited<ReturnType<typeof connect>>, { kind: 'no-token' | 'code-spent' }> | null = null;
  #timers: ReturnType<typeof setInterval>[] = [];
  #unsubs: (() => void)[] = [];
  #wasOnline = false;

  constructor() {
    paintLastLook();
  }

  /** Connects, then asks who this window is: first run, sign-in, or the resumed session. */
  async boot(): Promise<void> {
    const conn = await connect((online) => this.#onConnection(online), session.token, () => this.#sessionEndedElsewhere());
    if (conn.kind === 'no-token' || conn.kind === 'code-spent') {
      this.phase = conn.kind;
      return;
    }
    this.#conn = conn;
    this.#api = conn.api;
    // Desktop: the workspace first (chosen on the first run; a team server's link state after).
    await workspace.open({ online: (up) => this.#onConnection(up), sessionEnded: () => this.#sessionEndedElsewhere() });
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
    this.demoPeople = status.demoPeople ?? [];
    this.phase = status.needsSetup ? 'setup' : 'signin';
  }

  /** One click on a demo person: null when signed in, else the message to show. */
  async demoSignIn(username: string): Promise<string | null> {
    if (!this.#api) return null;
    try {
      session.begin(await this.#api.call('auth.demoSignIn', { username }));
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    await this.#start();
    return null;
  }

  /** Sign-in form: null when signed in, else the message to show (nothing typed is lost). */
  async signIn(username: string, password: string): Promise<string | null> {
    if (!this.#api) return null;
    try {
      session.begin(await this.#api.call('auth.signIn', { username, password }));
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    await this.#start();
    return null;
  }

  /** First run: creates the administrator and signs them in. */
  async setup(input: { username: string; displayName: string; password: string }): Promise<string | null> {
    if (!this.#api) return null;
    try {
      session.begin(await this.#api.call('auth.setup', input));
    } catch (e) {
      if (e instanceof ApiError && e.details?.length) return `${e.message}: ${e.detailLines().join('; ')}`;
      return e instanceof Error ? e.message : String(e);
    }
    await this.#start();
    return null;
  }

  /**
   * The server ended this page's session (signed out elsewhere, "esci ovunque", disabled):
   * to the sign-in screen at once, saying why, as a refused call would.
   */
  #sessionEndedElsewhere(): void {
    if (this.#signingOut || this.phase !== 'ready') return;
    session.end('session.expired');
    location.reload();
  }

  #signingOut = false;

  async signOut(): Promise<void> {
    // Unsaved edits ask first; «Resta» keeps the person signed in with their text.
    if (!(await dirtyForms.leave(() => {}))) return;
    // Our own sign-out ends the session too: the socket's word of it is expected.
    this.#signingOut = true;
    try {
      await this.#api?.call('auth.signOut', {});
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
    this.#api = api;
    // The desktop app notifies from its main process; the page only shows its toasts there.
    const notifyInPage = conn.kind !== 'desktop';
    const settings = new SettingsStore(api);
    this.settings = settings;
    const demo = new DemoStore(api);
    this.demo = demo;
    const inbox = new InboxStore(api);
    inbox.may = (op) => session.can(op);
    this.inbox = inbox;
    this.saved = new SavedSearchesStore(api);
    this.warRoom = new WarRoomStore(api);
    this.imports = new ImportStore(api);
    const sources = new SourcesStore(api);
    this.sources = sources;
    this.tier2 = new Tier2Store(api);
    this.publishing = new PublishingStore(api);
    const perimeters = new PerimetersStore(api);
    this.perimeters = perimeters;
    const moments = new MomentsStore(api);
    moments.notifyInPage = notifyInPage;
    moments.onopen = (id) => this.openMoment(id);
    this.moments = moments;
    this.crises = new CrisesStore(api);
    this.audit = new AuditStore(api);
    this.users = new UsersStore(api);
    this.webhooks = session.isAdmin ? new WebhookKeysStore(api) : null;
    this.idle = new IdleLock(
      api,
      () => settings.settings?.lockMinutes ?? 0,
      () => this.phase === 'ready',
    );
    const responses = new ResponsesStore(api);
    responses.notifyInPage = notifyInPage;
    // Only the person whose role is next hears about it.
    responses.roles = () => session.actor?.roles ?? null;
    responses.onopen = (id) => this.navigate('responses', () => responses.select(id));
    this.responses = responses;
    const risk = new RiskStore(api);
    risk.notifyInPage = notifyInPage;
    risk.onopen = (id) => this.openMoment(id);
    this.risk = risk;
    const me = (): number | null => session.actor?.userId ?? null;
    const notifications = new NotificationsStore(api, me);
    notifications.onopen = (subject) => this.openSubject(subject);
    this.notifications = notifications;
    assignments.attach(api, me);
    presence.attach(api, me);
    this.reads = new ReadsStore(api, () => session.actor?.userId ?? null);
    const tags = new TagsStore(api);
    this.tags = tags;
    this.bulk = new BulkStore(api, () => inbox.items.map((m) => m.id), tags);
    void tags.load();
    this.mentionNotes = new NotesStore(api);
    this.momentNotes = new NotesStore(api);

    // After the stores' own subscriptions, so an arrival is counted once the inbox holds it.
    this.#unsubs.push(
      listen(api, {
        'mentions.added': ({ items }) => {
          this.rate.count(items.length);
          // A mention from a source the list does not know yet: a source was just created.
          if (items.some((m) => !sources.knows(m.sourceId))) sources.loadListSoon();
          bumpIngested();
        },
        'sentiment.status': (s) => {
          // A finished re-score changed labels the inbox shows: it re-reads them.
          if (sentimentEngine.apply(s)) inbox.resync();
        },
        // A click on a crisis's system notification (desktop: sent by the main process).
        'moments.open': ({ id }) => this.openMoment(id),
        // A click on an assignment's or a note's system notification (desktop).
        'notifications.open': ({ id, subject }) => {
          this.openSubject(subject);
          void this.notifications?.markRead(id);
        },
      }),
    );
    this.#timers.push(
      setInterval(() => {
        this.now = Date.now();
        this.rate.trim();
      }, 15_000),
    );

    try {
      void perimeters.load();
      void sentimentEngine.load(api);
      await Promise.all([settings.load(), sources.loadList(), demo.load()]);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') {
        // The session ended meanwhile (expired, or the person was disabled).
        session.end();
        this.signinNotice = e.message;
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
    if (settings.settings?.onboarded || !session.canEdit) await this.#enterInbox();
    else this.phase = 'welcome';
  }

  async #enterInbox(): Promise<void> {
    this.phase = 'ready';
    this.route = 'inbox';
    void this.moments?.load();
    void this.moments?.loadThemes();
    void this.crises?.load();
    void this.risk?.loadAudiences();
    void this.notifications?.load();
    void assignments.loadMine();
    void this.saved?.load();
    try {
      await this.inbox?.load();
    } finally {
      markReady();
    }
  }

  /** First-run choice: replay the demo stream, or start with an empty inbox. */
  async chooseDemo(): Promise<void> {
    if (!this.demo) return;
    await this.demo.start();
    // Stay on the welcome screen, with the reason, if the demo cannot start.
    if (this.demo.error) return;
    await this.settings?.update({ onboarded: true });
    await this.#enterInbox();
  }

  async chooseEmpty(): Promise<void> {
    await this.settings?.update({ onboarded: true });
    await this.#enterInbox();
  }

  /**
   * To another view, then `then` (open an item there). A form with unsaved edits asks first
   * (ui/dirty-forms): on «Resta» nothing moves; a clean screen moves at once.
   */
  navigate(route: Route, then?: () => void): void {
    void dirtyForms.leave(() => {
      this.#go(route);
      then?.();
    });
  }

  #go(route: Route): void {
    this.route = route;
    if (route === 'sources') this.sources?.loadListSoon(0);
    if (route === 'import') void this.imports?.refresh();
    if (route === 'perimeters') void this.perimeters?.load();
    if (route === 'settings') void this.settings?.refreshInfo();
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
    this.navigate('settings', () => requestAnimationFrame(() => document.getElementById(id)?.scrollIntoView({ block: 'start' })));
  }

  /** "Rispondi" on a mention or a moment: the Responses view with a new draft for it. */
  reply(target: ComposeTarget): void {
    this.navigate('responses', () => this.responses?.compose(target));
  }

  /** From an alert, the crisis banner or the risk map to one moment in the Moments view. */
  openMoment(id: number): void {
    this.navigate('moments', () => this.moments?.select(id));
  }

  /** A notification's subject: the mention open in the inbox, the moment, or the response. */
  openSubject(s: Subject): void {
    if (s.kind === 'moment') this.openMoment(s.id);
    else if (s.kind === 'response') {
      this.navigate('responses', () => this.responses?.select(s.id));
    } else {
      this.navigate('inbox', () => void this.inbox?.open(s.id));
    }
  }

  /** "Vedi tutte" on the crisis banner: the Moments view showing the open crises. */
  openCrises(): void {
    this.navigate('moments', () => this.moments?.setFilters({ kind: 'crisis', state: 'open' }));
  }

  /** From a moment to its mentions: the inbox filtered by it. */
  showMomentMentions(id: number, title: string): void {
    this.navigate('inbox', () => this.inbox?.setFilters({ momentId: id, momentTitle: title }));
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
            session.end(e.key);
            location.reload();
          }
          throw e;
        }
      },
    };
  }

  lock(): void {
    if (this.phase === 'ready') this.idle?.lock();
  }

  /** null when unlocked; else the message for the lock screen. */
  async unlock(password: string): Promise<string | null> {
    return this.idle ? this.idle.unlock(password) : null;
  }

  dispose(): void {
    for (const u of this.#unsubs) u();
    for (const s of [this.reads, this.mentionNotes, this.momentNotes, this.tags, this.bulk, this.saved, this.warRoom]) s?.dispose();
    for (const t of this.#timers) clearInterval(t);
    for (const s of [this.demo, this.inbox, this.imports, this.sources, this.tier2, this.publishing, this.perimeters, this.moments, this.crises, this.responses, this.risk, this.idle, this.webhooks, this.notifications]) s?.dispose();
    assignments.dispose();
    presence.dispose();
  }

  #onConnection(online: boolean): void {
    this.online = online;
    if (online && this.#wasOnline === false && this.phase === 'ready') {
      // Back after a drop: what was pushed meanwhile is gone, so re-read.
      this.inbox?.resync();
      void this.saved?.load();
      this.notifications?.loadSoon(0);
      this.reads?.resyncSoon(0);
      this.mentionNotes?.loadSoon(0);
      this.momentNotes?.loadSoon(0);
      this.sources?.loadListSoon(0);
      if (this.#api) void sentimentEngine.load(this.#api);
      this.demo?.refresh();
    }
    this.#wasOnline = online;
  }
}

export const app = new AppStore();
