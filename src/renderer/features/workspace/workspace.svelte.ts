// The desktop app's workspace: which one is open (local or a team server), the first-run and
// Settings choice, the confirmation of a team server's certificate at the first connection,
// and the link's state while on a team workspace. Browser mode has no bridge: this store stays
// idle there and nothing of it shows.
import { ApiError, ApiErrorSchema } from '../../../shared/contract';
import type { WorkspaceBridge, WorkspaceResult } from '../../../shared/transport/workspace-ipc';
import type { TeamProbe, TeamStatus, WorkspaceRequest, WorkspaceState } from '../../../shared/workspace';
import { t } from '../../i18n/i18n.svelte';
import { checkUrl, hostOf, parseProbe, parseSignal, parseState } from './workspace-logic';

/** What covers the app: the choice, the certificate to confirm, the refusal of a changed certificate. */
export type WorkspaceScreen = 'choose' | 'confirm' | 'pin-refused' | 'restarting' | null;

export interface WorkspaceHooks {
  /** The link is up (or down): the shell's online state, and its re-reads after a drop. */
  online(up: boolean): void;
  /** The server ended this window's session: to the sign-in screen, as a refused call would. */
  sessionEnded(): void;
}

function unwrap(res: WorkspaceResult): unknown {
  if (res.ok) return res.value;
  const parsed = ApiErrorSchema.safeParse(res.error);
  throw parsed.success ? ApiError.fromBody(parsed.data) : new ApiError('transport.badResponse');
}

export class WorkspaceStore {
  state = $state.raw<WorkspaceState | null>(null);
  status = $state.raw<TeamStatus | null>(null);
  screen = $state<WorkspaceScreen>(null);
  /** The address being typed in the choice screen. */
  url = $state('');
  probe = $state.raw<TeamProbe | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);

  /** A desktop window (the bridge is there). */
  readonly desktop: boolean;
  /** On a team workspace: its address. */
  readonly teamUrl = $derived(this.state?.choice.kind === 'team' ? this.state.choice.url : null);
  readonly host = $derived(this.teamUrl ? hostOf(this.teamUrl) : null);

  #bridge: WorkspaceBridge | null;
  #hooks: WorkspaceHooks | null = null;
  #off: (() => void) | null = null;
  #proceed: (() => void) | null = null;

  constructor(bridge: WorkspaceBridge | null) {
    this.#bridge = bridge;
    this.desktop = bridge !== null;
  }

  async #call(request: WorkspaceRequest): Promise<unknown> {
    if (!this.#bridge) throw new ApiError('transport.noMain');
    return unwrap(await this.#bridge.invoke(request));
  }

  /**
   * At start, before anything else: resolves once the app may go on — at once on a chosen
   * workspace, after the choice on the first run (or after a broken choice file). A team
   * workspace whose certificate changed goes on too, under the refusal screen, which stays.
   */
  async open(hooks: WorkspaceHooks): Promise<void> {
    if (!this.#bridge) return;
    this.#hooks = hooks;
    this.#off = this.#bridge.onSignal((raw) => {
      const signal = parseSignal(raw);
      if (!signal) return;
      if (signal.kind === 'sessionEnded') this.#hooks?.sessionEnded();
      else this.#applyStatus(signal.status);
    });
    let state: WorkspaceState | null;
    try {
      state = parseState(await this.#call({ action: 'get' }));
    } catch {
      state = null;
    }
    // A main process that does not answer the workspace channel: the local workspace, as before.
    if (!state) return;
    this.state = state;
    if (state.status) this.#applyStatus(state.status);
    if (state.chosen) return;
    this.screen = 'choose';
    await new Promise<void>((resolve) => (this.#proceed = resolve));
  }

  #applyStatus(status: TeamStatus): void {
    this.status = status;
    this.#hooks?.online(status.state === 'online');
    if (status.state === 'pin-refused') this.screen = 'pin-refused';
    else if (this.screen === 'pin-refused' && status.state === 'online') {
      // The server presents the pinned certificate again: a fresh start on it. (A try in
      // progress passes through «reconnecting»: the refusal stays on screen meanwhile.)
      location.reload();
    }
  }

  /** "Cambia workspace" (Settings, the refusal screen). */
  change(): void {
    this.error = null;
    this.probe = null;
    this.url = this.teamUrl ?? '';
    this.screen = 'choose';
  }

  /** Back from the choice, when a workspace is already open. */
  cancel(): void {
    this.error = null;
    this.probe = null;
    if (this.screen === 'confirm') {
      this.screen = 'choose';
      return;
    }
    if (this.state?.chosen) this.screen = this.status?.state === 'pin-refused' ? 'pin-refused' : null;
  }

  async useLocal(): Promise<void> {
    await this.#act(async () => {
      const r = (await this.#call({ action: 'useLocal' })) as { relaunch?: unknown };
      if (r.relaunch === true) {
        this.screen = 'restarting';
        return;
      }
      if (this.state) this.state = { ...this.state, chosen: true, problem: null };
      this.screen = null;
      this.#go();
    });
  }

  /** The address typed: a first look at the server, then its certificate to confirm. */
  async lookUp(): Promise<void> {
    const checked = checkUrl(this.url);
    if ('error' in checked) {
      this.error = new ApiError(checked.error).message;
      return;
    }
    await this.#act(async () => {
      const probe = parseProbe(await this.#call({ action: 'probe', url: checked.url }));
      if (!probe) throw new ApiError('transport.badResponse');
      this.probe = probe;
      this.screen = 'confirm';
    });
  }

  /** The person compared the fingerprint and confirmed it: stored, and the app restarts on it. */
  async confirm(): Promise<void> {
    const probe = this.probe;
    if (!probe) return;
    await this.#act(async () => {
      await this.#call({ action: 'useTeam', url: probe.url, fingerprint: probe.fingerprint });
      this.screen = 'restarting';
    });
  }

  /** «Riprova» on the refusal: a certificate still not the pinned one is said so, not left silent. */
  async retry(): Promise<void> {
    let still = false;
    await this.#act(async () => {
      still = parseState(await this.#call({ action: 'retry' }))?.status?.state === 'pin-refused';
    });
    if (still) this.error = t('workspace.stillRefused');
  }

  async #act(f: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      await f();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy = false;
    }
  }

  #go(): void {
    const go = this.#proceed;
    this.#proceed = null;
    go?.();
  }

  dispose(): void {
    this.#off?.();
    this.#off = null;
  }
}

export const workspace = new WorkspaceStore(typeof window !== 'undefined' ? (window.vedetta?.workspace ?? null) : null);
