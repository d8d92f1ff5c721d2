// Contract of moments: the list, one moment in detail, the detection settings, a rebuild.
import { z } from 'zod';
import {
  MomentDetailSchema,
  MomentKindSchema,
  MomentSettingsSchema,
  MomentStateSchema,
  MomentSummarySchema,
} from '../moments';

export const momentsOperations = {
  'moments.list': {
    input: z.object({
      kind: MomentKindSchema.optional(),
      state: MomentStateSchema.optional(),
      themeId: z.number().int().optional(),
      /** Only moments with mentions from any of these audiences. */
      audienceIds: z.array(z.number().int()).max(200).optional(),
      limit: z.number().int().min(1).max(500).default(200),
    }).strict(),
    output: z.object({ items: z.array(MomentSummarySchema), total: z.number().int() }),
  },
  'moments.get': { input: z.object({ id: z.number().int() }).strict(), output: MomentDetailSchema },
  'moments.settings': { input: z.object({}).strict(), output: MomentSettingsSchema },
  /** Saving new settings recomputes every moment from the stored mentions. */
  'moments.settingsUpdate': { input: MomentSettingsSchema.partial().strict(), output: MomentSettingsSchema },
  /**
   * Takes a moment in charge (acknowledges its crisis banner): records who and when, audited,
   * and assigns the moment to that person. Acknowledging twice keeps the first record.
   */
  'moments.acknowledge': { input: z.object({ id: z.number().int() }).strict(), output: MomentSummarySchema },
  'moments.rebuild': { input: z.object({}).strict(), output: z.object({ ok: z.literal(true) }) },
} as const;

export const momentsEvents = {
  /**
   * Moments opened, updated or closed. `opened` lists the ones that just opened live (never
   * those found again by a rebuild), so clients notify only once.
   */
  'moments.changed': z.object({ opened: z.array(MomentSummarySchema), rebuilt: z.boolean() }),
  /** Someone took a moment in charge: every open window drops its crisis banner. */
  'moments.acknowledged': z.object({ moment: MomentSummarySchema }),
  /**
   * Local to one desktop window, never emitted by core: the main process asks the page to open a
   * moment (a click on a crisis's system notification).
   */
  'moments.open': z.object({ id: z.number().int() }),
} as const;
