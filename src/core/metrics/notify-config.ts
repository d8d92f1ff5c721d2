// Where alerts are sent, as the workspace configured it: the settings in the clear, the
// senders' secrets (tokens, webhook URLs, the SMTP password) sealed by the SecretStore. An
// unreadable value reads as the defaults, never as an error on every alert.
import { NotifySecretsSchema, NotifySettingsSchema, type NotifyConfig, type NotifySecrets, type NotifySettings } from '../../shared/alerts';
import type { Logger } from '../platform';
import type { SecretStore } from '../sources';
import type { AlertsRepo } from '../store/alerts-repo';
import { DEFAULT_NOTIFY_SETTINGS } from './notify';

export class NotifyConfigStore {
  constructor(private readonly d: { alertsRepo: AlertsRepo; secrets: SecretStore; logger: Logger }) {}

  notifySettings(): NotifySettings {
    const raw = this.d.alertsRepo.getInternal('notify.settings');
    if (!raw) return DEFAULT_NOTIFY_SETTINGS;
    try {
      const r = NotifySettingsSchema.safeParse({ ...DEFAULT_NOTIFY_SETTINGS, ...(JSON.parse(raw) as object) });
      return r.success ? r.data : DEFAULT_NOTIFY_SETTINGS;
    } catch {
      return DEFAULT_NOTIFY_SETTINGS;
    }
  }

  notifySecrets(): NotifySecrets {
    const raw = this.d.alertsRepo.getInternal('notify.secrets');
    if (!raw) return {};
    try {
      const plain = this.d.secrets.decrypt(Buffer.from(raw, 'base64'));
      const r = NotifySecretsSchema.safeParse(JSON.parse(plain));
      return r.success ? r.data : {};
    } catch (err) {
      this.d.logger.warn('notify: segreti non leggibili (chiave cambiata?)', { err: String(err) });
      return {};
    }
  }

  notifyConfig(): NotifyConfig {
    const s = this.notifySecrets();
    return {
      settings: this.notifySettings(),
      secretsSet: Object.entries(s).filter(([, v]) => typeof v === 'string' && v !== '').map(([k]) => k),
      secretBackend: this.d.secrets.backend,
    };
  }

  updateNotify(settings: NotifySettings | undefined, secrets: NotifySecrets | undefined): NotifyConfig {
    if (settings) this.d.alertsRepo.setInternal('notify.settings', JSON.stringify(settings));
    if (secrets) {
      // A secret sent as '' is cleared; one not sent is kept.
      const merged: Record<string, string> = { ...(this.notifySecrets() as Record<string, string>) };
      for (const [k, v] of Object.entries(secrets)) {
        if (v === undefined) continue;
        if (v === '') delete merged[k];
        else merged[k] = v;
      }
      this.d.alertsRepo.setInternal('notify.secrets', this.d.secrets.encrypt(JSON.stringify(merged)).toString('base64'));
    }
    return this.notifyConfig();
  }
}
