/** An audit row's action in words: `membership.join+transfer` → 入会、会籍接转; `application.approve` → 批准入会申请. */
import { hasKey, t, type Lang } from '../i18n';

export function auditActionText(lang: Lang, action: string | null): string {
  if (!action) return '';
  if (action.startsWith('membership.')) {
    const kinds = action.slice('membership.'.length).split('+');
    return kinds
      .map((k) => (hasKey(lang, `members.sync.change.${k}`) ? t(lang, `members.sync.change.${k}`) : k))
      .join(lang === 'en' ? ', ' : '、');
  }
  const key = `members.auditAction.${action.replace(/\./g, '_')}`;
  return hasKey(lang, key) ? t(lang, key) : action;
}
