// The channel form's payload: only the kind's own settings, and only the secrets typed in
// (an empty field keeps the stored one, so nothing blank overwrites a credential).
import { describe, expect, it } from 'vitest';
import { emptyForm, formOf, payloadOf } from '../../src/renderer/features/publishing/publishing.svelte';

describe('publishing channel form', () => {
  it('sends the kind’s settings and the typed secrets only', () => {
    const f = emptyForm('webhook');
    f.url = ' https://cms.esempio.it/hook ';
    f.clientId = 'left over from another kind';
    f.secrets.hmacSecret = '  segreto-lungo-123456 ';
    f.secrets.password = 'not for a webhook';
    expect(payloadOf(f)).toEqual({ config: { url: 'https://cms.esempio.it/hook' }, secrets: { hmacSecret: 'segreto-lungo-123456' } });
  });

  it('an edit form starts from the stored settings with every secret empty', () => {
    const f = formOf({
      id: 3,
      kind: 'reddit',
      name: 'Reddit',
      charLimit: 10_000,
      platform: null,
      requiresLegal: true,
      enabled: true,
      config: { clientId: 'abc', username: 'brand' },
      secretNames: ['clientSecret', 'password'],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(f).toMatchObject({ id: 3, kind: 'reddit', requiresLegal: true, clientId: 'abc', username: 'brand' });
    expect(payloadOf(f)).toEqual({ config: { clientId: 'abc', username: 'brand' }, secrets: {} });
  });
});
