// The unsaved-edits registry (ui/dirty-forms) and the tooltip of a denied action
// (features/session/access-text) with the real catalogues: plain logic, no component.
import { describe, expect, it } from 'vitest';
import { DirtyForms } from '../../src/renderer/ui/dirty-forms';
import { deniedText } from '../../src/renderer/features/session/access-text';
import { en } from '../../src/renderer/i18n/en';
import { it as itCatalog, type MessageKey } from '../../src/renderer/i18n/it';
import { INTL_LOCALE, translate, type Params } from '../../src/renderer/i18n/core';
import { mayCall, rolesFor } from '../../src/shared/access';
import type { OpName } from '../../src/shared/contract';

describe('unsaved edits', () => {
  it('a clean screen moves at once; a dirty one asks, and «Resta» keeps the text while «Esci» drops it', async () => {
    const dirtyForms = new DirtyForms();
    let text = '';
    const off = dirtyForms.register(() => text !== '', () => (text = ''));
    let moved = 0;
    expect(await dirtyForms.leave(() => moved++)).toBe(true);
    expect(moved).toBe(1);

    text = 'una bozza';
    const stay = dirtyForms.leave(() => moved++);
    expect(dirtyForms.asking).not.toBeNull();
    // A second request while the question is open changes nothing.
    expect(await dirtyForms.leave(() => moved++)).toBe(false);
    dirtyForms.asking!.answer(false);
    expect(await stay).toBe(false);
    expect([moved, text]).toEqual([1, 'una bozza']);

    const go = dirtyForms.leave(() => moved++);
    dirtyForms.asking!.answer(true);
    expect(await go).toBe(true);
    expect([moved, text]).toEqual([2, '']);

    off();
    text = 'ancora';
    expect(await dirtyForms.leave(() => moved++)).toBe(true);
  });
});

describe('the tooltip of a denied action', () => {
  const tip = (op: OpName, lang: 'it' | 'en'): string => {
    const t = (key: MessageKey, params?: Params): string => translate(lang === 'it' ? itCatalog : en, itCatalog, lang, key, params);
    return deniedText(rolesFor(op), t, INTL_LOCALE[lang]);
  };

  it('names the roles that may, in the person’s language', () => {
    expect(tip('responses.create', 'it')).toBe('Solo Social media manager o Stratega');
    expect(tip('audiences.create', 'it')).toBe('Solo Amministratore o Stratega');
    expect(tip('users.create', 'it')).toBe('Solo Amministratore');
    expect(tip('mentions.setStatus', 'it')).toBe('Solo Amministratore, Stratega, Social media manager, Legale o Responsabile brand');
    expect(tip('publishing.recordManual', 'en')).toBe('Only Administrator or Social media manager');
    expect(mayCall('responses.create', ['manager'])).toBe(true);
    expect(mayCall('responses.create', ['admin'])).toBe(false);
  });
});
