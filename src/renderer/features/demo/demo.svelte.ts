// The demo replay: its state (pushed by the server as it plays), the chosen speed, and why
// the last start or stop failed.
import type { VedettaApi } from '../../../shared/contract';
import type { ReplayState } from '../../../shared/schemas';
import { listen } from '../../lib/events';

export const DEFAULT_DEMO_SPEED = 60;

export class DemoStore {
  replay = $state.raw<ReplayState | null>(null);
  speed = $state(DEFAULT_DEMO_SPEED);
  error = $state<string | null>(null);

  #api: VedettaApi;
  #off: () => void;

  constructor(api: VedettaApi) {
    this.#api = api;
    this.#off = listen(api, {
      'replay.state': (s) => {
        this.replay = s;
      },
    });
  }

  /** The first read, part of the app's start: a failure is the caller's to show. */
  async load(): Promise<void> {
    const replay = await this.#api.call('demo.state', {});
    this.replay = replay;
    // An idle replay reports speed 1: keep our default unless one is really running.
    if (replay.running && replay.speed > 0) this.speed = replay.speed;
  }

  /** Back after a drop: what the replay did meanwhile (the previous state stays on failure). */
  refresh(): void {
    void this.#api
      .call('demo.state', {})
      .then((s) => (this.replay = s))
      .catch(() => undefined);
  }

  async start(speed: number = this.speed): Promise<void> {
    this.error = null;
    try {
      this.speed = speed;
      this.replay = await this.#api.call('demo.start', { speed });
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  async stop(): Promise<void> {
    this.error = null;
    try {
      this.replay = await this.#api.call('demo.stop', {});
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  dispose(): void {
    this.#off();
  }
}
