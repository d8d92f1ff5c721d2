// Brand perimeters: brands → products → themes, each theme a query with a SWOT class, a
// stance and a weight; and how a mention matched a theme (relevance and spans).
import { z } from 'zod';

export const SwotSchema = z.enum(['strength', 'weakness', 'opportunity', 'threat']);
export type Swot = z.infer<typeof SwotSchema>;

/** in_perimeter: engage freely; sensitive: legal reviews any response; forbidden: no engagement. */
export const StanceSchema = z.enum(['in_perimeter', 'sensitive', 'forbidden']);
export type Stance = z.infer<typeof StanceSchema>;

const name = z.string().trim().min(1, 'il nome è obbligatorio').max(120, 'nome troppo lungo (al massimo 120 caratteri)');

export const BrandSchema = z.object({ id: z.number().int(), name: z.string(), createdAt: z.string() });
export type Brand = z.infer<typeof BrandSchema>;

export const ProductSchema = z.object({ id: z.number().int(), brandId: z.number().int(), name: z.string(), createdAt: z.string() });
export type Product = z.infer<typeof ProductSchema>;

export const ThemeSchema = z.object({
  id: z.number().int(),
  brandId: z.number().int(),
  productId: z.number().int().nullable(),
  name: z.string(),
  query: z.string(),
  swot: SwotSchema,
  stance: StanceSchema,
  /** Importance of the theme in [0, 1]; it scales the relevance of its matches. */
  weight: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Stored mentions currently matching (kept by the matcher). */
  mentionCount: z.number().int(),
});
export type PerimeterTheme = z.infer<typeof ThemeSchema>;

export const ThemeInputSchema = z.object({
  brandId: z.number().int(),
  productId: z.number().int().nullable().default(null),
  name,
  query: z.string().max(4_000, 'query troppo lunga (al massimo 4.000 caratteri)'),
  swot: SwotSchema,
  stance: StanceSchema.default('in_perimeter'),
  weight: z.number().min(0, 'il peso va da 0 a 1').max(1, 'il peso va da 0 a 1').default(1),
}).strict();
export type ThemeInput = z.infer<typeof ThemeInputSchema>;

export const MatchSpanSchema = z.object({
  field: z.enum(['title', 'text']),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type MatchSpanDto = z.infer<typeof MatchSpanSchema>;

/** One theme a mention matched. */
export const MentionThemeSchema = z.object({
  themeId: z.number().int(),
  relevance: z.number().min(0).max(1),
  spans: z.array(MatchSpanSchema),
});
export type MentionTheme = z.infer<typeof MentionThemeSchema>;

/** A query's parse error, with where it is (0-based offset, 1-based column). */
export const QueryErrorSchema = z.object({
  message: z.string(),
  position: z.number().int(),
  column: z.number().int(),
  length: z.number().int(),
});
export type QueryErrorDto = z.infer<typeof QueryErrorSchema>;

export const RematchJobSchema = z.object({
  themeId: z.number().int(),
  kind: z.enum(['match', 'purge']),
  done: z.number().int(),
  total: z.number().int(),
});
export const RematchStateSchema = z.object({
  running: z.boolean(),
  jobs: z.array(RematchJobSchema),
});
export type RematchState = z.infer<typeof RematchStateSchema>;

export const PerimetersSchema = z.object({
  brands: z.array(BrandSchema),
  products: z.array(ProductSchema),
  themes: z.array(ThemeSchema),
});
export type Perimeters = z.infer<typeof PerimetersSchema>;
