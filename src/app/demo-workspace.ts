// What the demo workspace holds besides its stream, so every view has something to show on
// first contact: the brand's perimeter, audiences for the risk map, a manual publishing
// channel, one person of each role (signed in with one click while they are the demo's), the
// Tier 2 history with its alerts, and the number of the run (each replay is a fresh one).
// Each part is added only when missing: a second demo, or a demo in a workspace someone
// already shaped, never overwrites what exists.
import { randomBytes } from 'node:crypto';
import type { AudienceInput } from '../shared/audiences';
import type { Role } from '../shared/auth';
import { noteAudit } from '../core/api/call-scope';
import type { Logger } from '../core/platform';
import type { AudiencesService } from '../core/audiences';
import type { AuthService } from '../core/auth';
import { DEMO_BRAND, seedDemoPerimeter, type PerimetersService } from '../core/perimeters';
import type { PublishingService } from '../core/publishing';
import type { SettingsRepo } from '../core/store/settings-repo';

/** Settings (internal) where the demo keeps its people and its run count. */
const PEOPLE_KEY = 'demo.people';
const RUNS_KEY = 'demo.runs';

export const DEMO_CHANNEL = 'Instagram @caffeaurora (manuale)';

/** One person of each role, with the product's role names (PRODUCT.md). */
export const DEMO_PEOPLE: readonly { username: string; displayName: string; role: Role }[] = [
  { username: 'sara.admin', displayName: 'Sara Conti', role: 'admin' },
  { username: 'luca.strategist', displayName: 'Luca Ferri', role: 'strategist' },
  { username: 'giulia.manager', displayName: 'Giulia Romano', role: 'manager' },
  { username: 'elena.legal', displayName: 'Elena Greco', role: 'legal' },
  { username: 'marco.owner', displayName: 'Marco Bruno', role: 'owner' },
  { username: 'anna.analyst', displayName: 'Anna Galli', role: 'analyst' },
];

export interface DemoWorkspaceDeps {
  perimeters: PerimetersService;
  audiences: AudiencesService;
  publishing: PublishingService;
  auth: AuthService;
  settings: SettingsRepo;
  /** The Tier 2 history (content, points, the alerts they raise); false when metrics exist. */
  seedMetrics: () => boolean;
  logger: Logger;
  now: () => number;
}

/** What a preparation added (all false/0 on a workspace that already had it all). */
export interface DemoPrepared {
  perimeter: boolean;
  audiences: number;
  channel: boolean;
  people: number;
  metrics: boolean;
  /** This run's number: 1 the first time, then one more at each replay. */
  run: number;
}

function audiencesFor(brandId: number, themeIds: ReadonlyMap<string, number>): AudienceInput[] {
  const themes = (...names: string[]): number[] => names.map((n) => themeIds.get(n)).filter((id): id is number => id !== undefined);
  return [
    {
      name: 'Clienti Aurora',
      type: 'primary',
      // The people commenting under the brand's own posts, and those who review it.
      rules: { sources: ['Trustpilot'], communities: [], hashtags: [], themeIds: [], authorKeys: [], ownedBrandIds: [brandId] },
      override: null,
    },
    {
      name: 'Indignati del boicottaggio',
      type: 'secondary',
      rules: { sources: [], communities: [], hashtags: ['#boicottaAurora'], themeIds: themes('Boicottaggio e proteste', 'Muffa nelle capsule'), authorKeys: [], ownedBrandIds: [] },
      override: null,
    },
    {
      name: 'Settimana del Caffè',
      type: 'secondary',
      rules: { sources: [], communities: [], hashtags: ['#SettimanaDelCaffè', '#ColdBrew'], themeIds: themes('Cold brew e Giulia Marchetti', 'Settimana del Caffè'), authorKeys: [], ownedBrandIds: [] },
      override: null,
    },
    {
      name: 'Reddit e forum del caffè',
      type: 'generic',
      rules: { sources: ['Forum CaffèItalia', 'Blog Espresso&Co'], communities: ['r/coffee', 'r/italy', 'r/Italia'], hashtags: [], themeIds: [], authorKeys: [], ownedBrandIds: [] },
      override: null,
    },
  ];
}

export class DemoWorkspace {
  constructor(private readonly d: DemoWorkspaceDeps) {}

  /** The people the demo created (the one-click sign-in's list). */
  people(): number[] {
    const v = this.d.settings.internal(PEOPLE_KEY);
    return Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : [];
  }

  /** How many runs have started in this workspace. */
  runs(): number {
    const v = this.d.settings.internal(RUNS_KEY);
    return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : 0;
  }

  /** Fills in what the demo needs and counts a new run. */
  async prepare(): Promise<DemoPrepared> {
    const d = this.d;
    const perimeter = seedDemoPerimeter(d.perimeters, d.now());
    if (perimeter) d.perimeters.changed();
    const audiences = this.seedAudiences();
    const channel = this.seedChannel();
    const people = await this.seedPeople();
    let metrics = false;
    try {
      metrics = d.seedMetrics();
    } catch (err) {
      // The inbox demo still runs without its Tier 2 part.
      d.logger.error('demo: metriche Tier 2 non caricate', { err: err instanceof Error ? err.message : String(err) });
    }
    const run = this.runs() + 1;
    d.settings.setInternal(RUNS_KEY, run);
    // The first-run question (demo or empty) is answered: whoever signs in goes to the inbox.
    if (!d.settings.get().onboarded) d.settings.update({ onboarded: true });
    const prepared = { perimeter, audiences, channel, people, metrics, run };
    // What the demo added goes on the demo.start row (people and channel are changes too).
    noteAudit({ detail: { ...prepared } });
    return prepared;
  }

  private seedAudiences(): number {
    const { perimeters, audiences } = this.d;
    const brand = perimeters.repo.brands().find((b) => b.name === DEMO_BRAND);
    // Only in a workspace still without audiences: a strategist's own map is never touched.
    if (!brand || audiences.list().items.length > 0) return 0;
    const themeIds = new Map(perimeters.repo.themes().filter((t) => t.brandId === brand.id).map((t) => [t.name, t.id]));
    const list = audiencesFor(brand.id, themeIds);
    for (const a of list) audiences.create(a);
    return list.length;
  }

  private seedChannel(): boolean {
    const { publishing } = this.d;
    if (publishing.listChannels().some((c) => c.name === DEMO_CHANNEL)) return false;
    publishing.createChannel({ kind: 'manual', name: DEMO_CHANNEL, requiresLegal: false, enabled: true });
    return true;
  }

  private async seedPeople(): Promise<number> {
    const { auth, settings } = this.d;
    const ids = new Set(this.people());
    let added = 0;
    for (const p of DEMO_PEOPLE) {
      // A name already taken by someone real stays theirs.
      const existing = auth.list().find((u) => u.username === p.username);
      if (existing) continue;
      // Nobody types this password: the demo's people come in with one click.
      const user = await auth.createUser({ username: p.username, displayName: p.displayName, password: randomBytes(24).toString('base64url'), roles: [p.role] });
      ids.add(user.id);
      added++;
    }
    settings.setInternal(PEOPLE_KEY, [...ids]);
    return added;
  }
}
