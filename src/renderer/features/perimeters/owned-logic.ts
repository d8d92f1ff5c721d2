// Pure helpers of a brand's own accounts in Perimetri (no Svelte, no DOM): what one brand
// declared and is offered, the form's check with the contract's own schema (so the Italian
// reason shows on the field before any call), and how an entry reads in a narrow list.
import { ApiError, detailReason } from '../../../shared/contract';
import { renderText, zodIssueText } from '../../../shared/errors';
import { OwnedAccountInputSchema, type OwnedAccount, type OwnedAccountInput, type OwnedSuggestion } from '../../../shared/perimeters';

export function ownedOfBrand(list: readonly OwnedAccount[], brandId: number): OwnedAccount[] {
  return list.filter((a) => a.brandId === brandId);
}

export function suggestionsOfBrand(list: readonly OwnedSuggestion[], brandId: number): OwnedSuggestion[] {
  return list.filter((s) => s.brandId === brandId);
}

function capital(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** The first reason the schema gives, as a sentence; null when the input is valid. */
export function ownedInputError(input: OwnedAccountInput): string | null {
  const r = OwnedAccountInputSchema.safeParse(input);
  if (r.success) return null;
  const issue = r.error.issues[0];
  return capital(issue ? zodIssueText(issue) : renderText('zod.invalid'));
}

/** A failed call in the user's words: the field's reason when the contract gave one (a plain line, from an older backend, loses its path too). */
export function ownedCallError(e: unknown): string {
  if (e instanceof ApiError && e.details?.length) return e.details.map((d) => capital(d.path ? detailReason(d) : detailReason(d).replace(/^[\w.]+: /, ''))).join('; ');
  return e instanceof Error ? e.message : String(e);
}

/** A link as a narrow row shows it: no scheme, no "www.", no trailing slash. */
export function ownedLabel(a: Pick<OwnedAccount, 'type' | 'value'>): string {
  if (a.type !== 'url') return a.value;
  return a.value.replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/$/, '');
}
