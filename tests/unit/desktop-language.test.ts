// The desktop process speaks the workspace's language (its dialogs, the errors it words, its
// notifications): the setting once the data folder is open, the environment's before; a
// settings change made from the window is followed at once. No Electron here: the function
// that picks the language, the follower on a real app, and the IPC adapter's hook.
import { afterEach, describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { desktopLanguage, followWorkspaceLanguage } from '../../src/main/language';
import { registerIpc } from '../../src/main/ipc';
import { ApiError } from '../../src/shared/contract';
import { errorLanguage, setErrorLanguage } from '../../src/shared/errors';
import { IPC_CALL_CHANNEL, type IpcResult } from '../../src/shared/transport/ipc';
import { testApp } from './support/core';

afterEach(() => setErrorLanguage('it'));

describe('the desktop process language', () => {
  it("is the workspace's setting when known, else the environment's", () => {
    expect(desktopLanguage({ locale: 'en' }, {})).toBe('en');
    // The person's choice wins over the system's.
    expect(desktopLanguage({ locale: 'it' }, { LANG: 'en_US.UTF-8' })).toBe('it');
    expect(desktopLanguage(null, { LANG: 'en_US.UTF-8' })).toBe('en');
    expect(desktopLanguage(undefined, { VEDETTA_LANG: 'en', LANG: 'it_IT.UTF-8' })).toBe('en');
    expect(desktopLanguage(null, {})).toBe('it');
    expect(desktopLanguage({ locale: 'fr' }, { LANG: 'en_GB' })).toBe('en');
  });

  it("follows the workspace's setting, read from a real app, and words its errors in it", async () => {
    const { app } = testApp();
    const language = followWorkspaceLanguage(app, { LANG: 'en_US.UTF-8' });
    // Before the settings are read: the environment's.
    expect([language.current(), errorLanguage()]).toEqual(['en', 'en']);
    expect(await language.refresh()).toBe('it');
    expect(errorLanguage()).toBe('it');
    await app.dispatch('settings.update', { locale: 'en' });
    expect(await language.refresh()).toBe('en');
    expect(new ApiError('app.inUse').message).toBe('Vedetta is already in use');
    // A read that fails (the app closed) keeps the language it had.
    app.close();
    expect(await language.refresh()).toBe('en');
  });

  it('follows a settings change the window makes over IPC', async () => {
    const { app } = testApp();
    const { token } = (await app.dispatch('auth.setup', { username: 'admin', displayName: 'Anna Admin', password: 'una-password-lunga' }, { session: null })) as { token: string };
    const language = followWorkspaceLanguage(app, {});
    await language.refresh();
    const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<IpcResult>>();
    const refreshed: Promise<unknown>[] = [];
    registerIpc({
      ipcMain: { handle: (c: string, l: never) => void handlers.set(c, l), removeHandler: (c: string) => void handlers.delete(c) } as never,
      app,
      isTrustedSender: () => true,
      afterCall: (op) => {
        if (op === 'settings.update') refreshed.push(language.refresh());
      },
    });
    const call = handlers.get(IPC_CALL_CHANNEL)!;
    const event = {} as IpcMainInvokeEvent;
    expect(await call(event, { op: 'settings.get', input: {}, session: token })).toMatchObject({ ok: true });
    expect(refreshed).toHaveLength(0);
    expect(await call(event, { op: 'settings.update', input: { locale: 'en' }, session: token })).toMatchObject({ ok: true, value: { locale: 'en' } });
    await Promise.all(refreshed);
    expect([language.current(), errorLanguage()]).toEqual(['en', 'en']);
    // The wire stays Italian whatever the process speaks.
    const refused = await call(event, { op: 'mentions.get', input: { id: 999_999 }, session: token });
    expect(refused).toMatchObject({ ok: false, error: { key: 'mentions.notFound', message: 'Menzione 999999 non trovata: forse è stata eliminata.' } });
  });
});
