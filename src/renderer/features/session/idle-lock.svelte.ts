// The lock after inactivity: the screens stay mounted underneath, so nothing is lost; the
// person's password unlocks. A session the server ended meanwhile goes to the sign-in screen.
import { ApiError, type VedettaApi } from '../../../shared/contract';
import { endsSession } from './session-end';
import { session } from './session.svelte';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'pointermove'] as const;

export class IdleLock {
  locked = $state(false);

  #api: VedettaApi;
  #lastActivity = Date.now();
  #stop: () => void;

  /** `minutes`: the lock delay now (0: never); `ready`: whether the app is past its start. */
  constructor(api: VedettaApi, minutes: () => number, ready: () => boolean) {
    this.#api = api;
    const seen = (): void => {
      if (!this.locked) this.#lastActivity = Date.now();
    };
    const opts = { passive: true, capture: true } as const;
    for (const ev of ACTIVITY_EVENTS) window.addEventListener(ev, seen, opts);
    const timer = setInterval(() => {
      const m = minutes();
      if (m > 0 && !this.locked && ready() && Date.now() - this.#lastActivity > m * 60_000) this.locked = true;
    }, 1_000);
    this.#stop = () => {
      for (const ev of ACTIVITY_EVENTS) window.removeEventListener(ev, seen, opts);
      clearInterval(timer);
    };
  }

  lock(): void {
    this.locked = true;
  }

  /** null when unlocked; else the message for the lock screen. */
  async unlock(password: string): Promise<string | null> {
    try {
      await this.#api.call('auth.unlock', { password });
    } catch (e) {
      if (endsSession(e)) {
        // The session itself is gone (expired or disabled): sign in again, saying why.
        session.end(e instanceof ApiError ? e.key : undefined);
        location.reload();
      }
      return e instanceof Error ? e.message : String(e);
    }
    this.#lastActivity = Date.now();
    this.locked = false;
    return null;
  }

  dispose(): void {
    this.#stop();
  }
}
