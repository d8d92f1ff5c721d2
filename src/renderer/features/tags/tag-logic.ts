// Pure logic of the tag picker: which tags a typed word finds, and whether it names a new one.
import { TAG_NAME_MAX, type Tag } from '../../../shared/ops/tags';
import { fold } from '../../../shared/text';

export type PickerOption = { kind: 'tag'; tag: Tag } | { kind: 'create'; name: string };

/**
 * The tags whose name contains the typed word (accents and case ignored), names starting with
 * it first; then "Crea «…»" when the word is no tag's name and creating is allowed.
 */
export function pickerOptions(tags: readonly Tag[], typed: string, canCreate: boolean): PickerOption[] {
  const word = typed.trim();
  const q = fold(word);
  const found = q ? tags.filter((t) => fold(t.name).includes(q)) : [...tags];
  found.sort((a, b) => Number(!fold(a.name).startsWith(q)) - Number(!fold(b.name).startsWith(q)) || a.name.localeCompare(b.name, 'it'));
  const options: PickerOption[] = found.map((tag) => ({ kind: 'tag', tag }));
  const exact = tags.some((t) => fold(t.name) === q);
  if (canCreate && word && !exact && word.length <= TAG_NAME_MAX) options.push({ kind: 'create', name: word });
  return options;
}
