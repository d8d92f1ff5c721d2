// app.info answers before sign-in (the UI needs the mode and version to draw the gate), but
// the webhook token, which lets anyone push mentions in, goes to administrators only.
import { describe, expect, it } from 'vitest';
import { testApp } from './support/core';

describe('the webhook token', () => {
  it('is in app.info for an administrator, not for other roles nor before sign-in', async () => {
    const { app } = testApp();
    app.setWebhook({ url: 'http://127.0.0.1:4870/api/v1/webhook/mentions', token: 'wh-token-segreto' });
    const admin = (await app.dispatch('auth.setup', { username: 'admin', displayName: 'Anna', password: 'una-password-lunga' }, { session: null })) as { token: string };
    const info = async (session: string | null) => (await app.dispatch('app.info', {}, { session })) as { webhookUrl: string | null; webhookToken: string | null };
    expect(await info(admin.token)).toMatchObject({ webhookUrl: expect.stringContaining('/webhook/'), webhookToken: 'wh-token-segreto' });
    expect((await info(null)).webhookToken).toBeNull();
    for (const roles of [['analyst'], ['manager'], ['legal'], ['owner'], ['strategist']]) {
      const username = `u-${roles[0]}`;
      await app.dispatch('users.create', { username, displayName: username, password: `password-${username}`, roles }, { session: admin.token });
      const s = (await app.dispatch('auth.signIn', { username, password: `password-${username}` }, { session: null })) as { token: string };
      const seen = await info(s.token);
      expect(seen.webhookToken, roles.join()).toBeNull();
      expect(seen.webhookUrl).not.toBeNull();
    }
  });
});
