/** The reference host "delivers" notifications by storing them; /inbox shows each person theirs. */
import type { Knex } from 'knex';
import type { HostClock, HostLogger, HostNotify } from '../../plugin/host';
import { sqlDateTime } from './time';

const CHUNK = 500;

export function createNotify(db: Knex, clock: HostClock, logger: HostLogger): HostNotify {
  return {
    async send(n) {
      const recipients = [...new Set(n.to)];
      if (!recipients.length) return;
      const base = {
        template: n.template,
        data: JSON.stringify(n.data ?? {}),
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
  data: Record<string, unknown>;
  channels: string[];
  createdAt: string;
}

export async function inbox(db: Knex, userId: string, limit = 50): Promise<InboxItem[]> {
  const rows = await db('host_notifications').where({ to_id: userId }).orderBy('id', 'desc').limit(limit);
  return rows.map((r: { id: number; template: string; data: string | null; channels: string; created_at: string }) => ({
    id: r.id,
    template: r.template,
    data: safeJson(r.data),
    channels: r.channels.split(','),
    createdAt: r.created_at,
  }));
}

function safeJson(text: string | null): Record<string, unknown> {
  try {
    const v = text ? JSON.parse(text) : {};
    return v && typeof v === 'object' ? v : { value: v };
  } catch {
    return { text };
  }
}
