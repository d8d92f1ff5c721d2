// Pure renderer logic of a brand's own accounts: the form's check with the contract's schema
// (the Italian reason, as a sentence), a failed call in the user's words, and a narrow row's label.
import { describe, expect, it } from 'vitest';
import { ownedCallError, ownedInputError, ownedLabel, ownedOfBrand, suggestionsOfBrand } from '../../src/renderer/features/perimeters/owned-logic';
import { ApiError } from '../../src/shared/contract';

describe('own accounts in Perimetri', () => {
  it('checks the form with the contract schema before any call', () => {
    expect(ownedInputError({ brandId: 1, type: 'handle', value: '@caffeaurora', platform: 'Instagram' })).toBeNull();
    expect(ownedInputError({ brandId: 1, type: 'handle', value: '@caffè aurora' })).toBe('Un handle è @nome, senza spazi (per Mastodon @nome@istanza)');
    expect(ownedInputError({ brandId: 1, type: 'url', value: 'www.instagram.com/p/1' })).toBe('Serve un link completo, come https://www.instagram.com/p/…');
    expect(ownedInputError({ brandId: 1, type: 'source', value: '' })).toBe("Scrivi l'account: il nome della fonte, l'handle, l'id o il link");
  });

  it("says what went wrong in the contract's words, without the field path", () => {
    expect(ownedCallError(new ApiError('request.invalid', {}, ['value: un id di thread o di post non contiene spazi']))).toBe('Un id di thread o di post non contiene spazi');
    expect(ownedCallError(new ApiError('request.invalid', {}, [{ path: 'value', key: 'schema.urlFull' }]))).toBe('Indirizzo non valido: serve un URL completo (https://…)');
    expect(ownedCallError(new ApiError('perimeters.ownedAlready', { value: '@caffeaurora', brand: 'Caffè Aurora' }))).toBe('«@caffeaurora» è già tra gli account propri di «Caffè Aurora».');
  });

  it('shows links short, filters by brand', () => {
    expect(ownedLabel({ type: 'url', value: 'https://www.instagram.com/p/ig-post-8841/' })).toBe('instagram.com/p/ig-post-8841');
    expect(ownedLabel({ type: 'handle', value: '@caffeaurora' })).toBe('@caffeaurora');
    const a = { id: 1, brandId: 1, type: 'source' as const, value: 'Instagram @caffeaurora', platform: null, createdAt: '' };
    expect(ownedOfBrand([a, { ...a, id: 2, brandId: 2 }], 1)).toEqual([a]);
    expect(suggestionsOfBrand([{ brandId: 2, type: 'source', value: 'X @borealis', count: 3 }], 1)).toEqual([]);
  });
});
