import type { Ctx } from '../context';
import type { Notification } from '../host';
import { t } from '../i18n';
import { chunks } from '../lib/db';

/** Recipients per notify call: a whole audience goes out in batches, so one slow batch never holds them all. */
export const NOTICE_BATCH = 500;

export interface Notice {
  to: string[];
  /** The notification's template id for the host, e.g. `union.member.joined`. */
  template: string;
  /** i18n key prefix holding `title` and `body`, e.g. `members.notices.joined`. */
  key: string;
  vars?: Record<string, string | number>;
  /** Path where the person acts, e.g. `/union/join`. */
  link: string;
  channels?: Notification['channels'];
}

/**
 * Sends a readable notice: title and body in the module's language (zh-CN unless set otherwise), the
 * facts in `vars`, and the link where the person acts; the same facts travel as data for hosts that
 * render their own. A failed batch is logged and the rest still go out: notices follow a commit and
 * are never a reason to undo it.
 */
export async function sendNotice(ctx: Ctx, n: Notice): Promise<number> {
  const lang = ctx.settings.locale;
  const vars = n.vars ?? {};
  const title = t(lang, `${n.key}.title`, vars);
  const body = t(lang, `${n.key}.body`, vars);
  let sent = 0;
  for (const to of chunks([...new Set(n.to)], NOTICE_BATCH)) {
    try {
      await ctx.host.notify.send({
        to,
        template: n.template,
        title,
        body,
        link: n.link,
        data: { ...vars, title, body, link: n.link },
        channels: n.channels ?? ['inapp', 'wecom'],
      });
      sent += to.length;
    } catch (err) {
      ctx.host.logger.warn({ err, template: n.template, recipients: to.length }, 'union: notification failed');
    }
  }
  return sent;
}
