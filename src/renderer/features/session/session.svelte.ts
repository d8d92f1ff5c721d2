// The signed-in person of this window: who acts, what they may do, and the session token every
// call carries. The token lives in sessionStorage (this tab only), so a reload stays signed in
// while closing the tab or window forgets it.
import { isErrorCode, type ErrorCode } from '../../../shared/errors';
import { EDITORS, mayCall, rolesFor } from '../../../shared/access';
import type { Actor, SessionGrant } from '../../../shared/auth';
import type { OpName } from '../../../shared/contract';
import { i18n, t } from '../../i18n/i18n.svelte';
import { INTL_LOCALE } from '../../i18n/core';
import { deniedText } from './access-text';

const SESSION_KEY = 'vedetta.session';
/** Why the last session ended, when the server ended it: shown once on the sign-in screen. */
const ENDED_KEY = 'vedetta.sessionEnded';

export class SessionState {
  actor = $state.raw<Actor | null>(null);
  #token: string | null = null;

  constructor() {
    try {
      this.#token = sessionStorage.getItem(SESSION_KEY);
    } catch {
      this.#token = null;
    }
  }

  /** Read by the transport at each call. */
  token = (): string | null => this.#token;

  get signedIn(): boolean {
    return this.actor !== null;
  }

  /**
   * May the person call this op? Read from the access table the server enforces
   * (shared/access.ts), so a screen never offers what would be refused on save.
   */
  can(op: OpName): boolean {
    return this.actor !== null && mayCall(op, this.actor.roles);
  }

  /**
   * null when the person may call the op; else the tooltip of the action they may not take,
   * naming the roles that may («Solo Stratega o Amministratore»).
   */
  denied(op: OpName): string | null {
    return this.can(op) ? null : deniedText(rolesFor(op), t, INTL_LOCALE[i18n.locale]);
  }

  /** Whether any of the person's roles may change things. */
  get canEdit(): boolean {
    return this.actor?.roles.some((r) => EDITORS.includes(r)) ?? false;
  }

  /** Whether the person may take a crisis in charge (acknowledge its banner). */
  get canAcknowledge(): boolean {
    return this.can('moments.acknowledge');
  }

  /** Whether the person may correct a mention's sentiment. */
  get canCorrectSentiment(): boolean {
    return this.can('mentions.correctSentiment');
  }

  /** Whether the person may rename or delete tags. */
  get canKeepTags(): boolean {
    return this.can('tags.rename');
  }

  get isAdmin(): boolean {
    return this.actor?.roles.includes('admin') ?? false;
  }

  begin(grant: SessionGrant): void {
    this.#token = grant.token;
    this.actor = grant.actor;
    try {
      sessionStorage.setItem(SESSION_KEY, grant.token);
    } catch {
      /* storage disabled: the session still works until the page reloads */
    }
  }

  /** The session the server still knows (after a reload). */
  resume(actor: Actor): void {
    this.actor = actor;
  }

  /** `because`: the error code that ended it (the sign-in screen says so after the reload). */
  end(because?: ErrorCode): void {
    this.#token = null;
    this.actor = null;
    try {
      sessionStorage.removeItem(SESSION_KEY);
      if (because) sessionStorage.setItem(ENDED_KEY, because);
    } catch {
      /* nothing stored */
    }
  }

  /** The reason the previous session was ended by the server, read once. */
  takeEndedReason(): ErrorCode | null {
    try {
      const r = sessionStorage.getItem(ENDED_KEY);
      sessionStorage.removeItem(ENDED_KEY);
      return isErrorCode(r) ? r : null;
    } catch {
      return null;
    }
  }
}

export const session = new SessionState();
