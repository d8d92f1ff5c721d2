// The audit log in words: an action code ("sources.add") read as what happened ("Fonte
// aggiunta"), the code kept beside it for whoever filters or exports by it.
import type { MessageKey } from '../../i18n/it';

/** The action's label in the current language, or the code itself when it has none (a newer backend's). */
export function actionLabel(code: string, t: (key: MessageKey) => string): string {
  const key = `audit.action.${code}`;
  const label = t(key as MessageKey);
  return label === key ? code : label;
}

/** Epoch milliseconds as the ISO text the i18n formatters read. */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
