/** The reference host "delivers" notifications by storing them; /inbox shows each person theirs. */
import type { Knex } from 'knex';
import type { HostClock, HostLogger, HostNotify } from '../../plugin/host';
import { isoFromSql, sqlDateTime } from './time';

const CHUNK = 500;

export function createNotify(db: Knex, clock: HostClock, logger: HostLogger): HostNotify {
  return {
    async send(n) {
      const recipients = [...new Set(n.to)];
      if (!recipients.length) return;
      const base = {
        template: n.template,
        // What the person reads travels with the payload, so the inbox needs no knowledge of templates.
        data: JSON.stringify({
          ...(n.data ?? {}),
          title: n.title ?? n.data?.title,
          body: n.body ?? n.data?.body,
          link: n.link ?? n.data?.link,
        }),
        channels: (n.channels?.length ? n.channels : ['inapp']).join(','),
        created_at: sqlDateTime(clock.now()),
      };
      // One row per person: a batch invitation to the whole company is a few multi-row inserts.
      for (let i = 0; i < recipients.length; i += CHUNK) {
        await db('host_notifications').insert(recipients.slice(i, i + CHUNK).map((to_id) => ({ to_id, ...base })));
      }
      logger.debug({ template: n.template, recipients: recipients.length }, 'notification stored');
    },
  };
}

export interface InboxItem {
  id: number;
  template: string;
  title: string;
  body: string;
  /** A same-site path, or null: a link elsewhere is never shown. */
  link: string | null;
  channels: string[];
  /** Local time in Asia/Shanghai, 'YYYY-MM-DD HH:mm'. */
  createdAt: string;
}

const LOCAL = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

export function shanghaiTime(sql: unknown): string {
  return LOCAL.format(new Date(isoFromSql(sql)));
}

export async function inbox(db: Knex, userId: string, limit = 50): Promise<InboxItem[]> {
  const rows = await db('host_notifications').where({ to_id: userId }).orderBy('id', 'desc').limit(limit);
  return rows.map((r: { id: number; template: string; data: string | null; channels: string; created_at: string }) => {
    const data = safeJson(r.data);
    const link = typeof data.link === 'string' && data.link.startsWith('/') && !data.link.startsWith('//') ? data.link : null;
    return {
      id: r.id,
      template: r.template,
      // Notices from senders of contract 1.0 carry no title: the template id is all there is to show.
      title: typeof data.title === 'string' ? data.title : r.template,
      body: typeof data.body === 'string' ? data.body : typeof data.text === 'string' ? data.text : '',
      link,
      channels: r.channels.split(','),
      createdAt: shanghaiTime(r.created_at),
    };
  });
}

function safeJson(text: string | null): Record<string, unknown> {
  try {
    const v = text ? JSON.parse(text) : {};
    return v && typeof v === 'object' ? v : { value: v };
  } catch {
    return { text };
  }
}
