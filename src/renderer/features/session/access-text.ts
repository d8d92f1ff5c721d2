// The tooltip of an action a person may not take: the roles that may, in the person's language
// («Solo Social media manager o Stratega»). Plain logic, unit-tested with the real catalogues.
import type { Role } from '../../../shared/auth';
import type { MessageKey } from '../../i18n/it';

export function deniedText(roles: readonly Role[] | null, t: (key: MessageKey, params?: Record<string, string | number>) => string, intlLocale: string): string {
  if (!roles) return t('access.signInFirst');
  const names = roles.map((r) => t(`role.${r}`));
  return t('access.onlyRoles', { roles: new Intl.ListFormat(intlLocale, { type: 'disjunction' }).format(names) });
}
