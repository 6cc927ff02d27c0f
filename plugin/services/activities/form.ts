import { Invalid } from '../../errors';
import type { ActivityInput } from './activities';
import type { AudienceKind } from './audience';
import type { ActivityView } from './presenter';

/** What the staff form posts: every field a string, times as datetime-local in the module's timezone. */
export interface ActivityForm {
  title: string;
  type: string;
  description?: string;
  startAt: string;
  endAt: string;
  registrationDeadline: string;
  location: string;
  capacity?: string;
  optionLimit?: string;
  options?: string;
  audienceKind?: string;
  audienceIds?: string;
  /** The service groups ticked when the audience is 服务对象 (one box sends a string). */
  audienceGroups?: string | string[];
}

function offsetMs(at: number, timeZone: string): number {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(new Date(at))
      .map((x) => [x.type, Number(x.value)]),
  );
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}

/** 'YYYY-MM-DDTHH:mm' read as wall-clock time in `timeZone` → ISO 8601 UTC. */
export function zonedToIso(local: string, timeZone: string, field: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) throw Invalid.field(`body.${field}`, 'must be a date and time');
  const guess = Date.parse(`${local}:00Z`);
  if (Number.isNaN(guess)) throw Invalid.field(`body.${field}`, 'must be a date and time');
  const first = guess - offsetMs(guess, timeZone);
  return new Date(guess - offsetMs(first, timeZone)).toISOString();
}

/** ISO 8601 → 'YYYY-MM-DDTHH:mm' in `timeZone`, for a datetime-local input. */
export function isoToZoned(iso: string, timeZone: string): string {
  const at = Date.parse(iso);
  return new Date(at + offsetMs(at, timeZone)).toISOString().slice(0, 16);
}

const count = (v: string | undefined, field: string): number | null => {
  if (!v?.trim()) return null;
  if (!/^[1-9]\d{0,5}$/.test(v.trim())) throw Invalid.field(`body.${field}`, 'must be a whole number from 1');
  return Number(v.trim());
};

/** Options as lines of `name` or `name:places` (a full-width colon works too). */
export function parseOptions(text: string | undefined): Array<{ name: string; capacity: number | null }> {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^(.*?)[:：]\s*(\d+)$/.exec(line);
      const name = (m ? m[1] : line).trim();
      if (!name || name.length > 100) throw Invalid.field('body.options', `"${line}" needs a name of at most 100 characters`);
      return { name, capacity: m ? count(m[2], 'options') : null };
    });
}

export function fromForm(f: ActivityForm, timeZone: string): ActivityInput {
  const kind = (f.audienceKind || 'members') as AudienceKind;
  const ids =
    kind === 'groups'
      ? [f.audienceGroups ?? []].flat()
      : (f.audienceIds ?? '')
          .split(/[,，\s]+/)
          .map((s) => s.trim())
          .filter(Boolean);
  return {
    title: f.title,
    type: f.type,
    description: f.description || undefined,
    startAt: zonedToIso(f.startAt, timeZone, 'startAt'),
    endAt: zonedToIso(f.endAt, timeZone, 'endAt'),
    registrationDeadline: zonedToIso(f.registrationDeadline, timeZone, 'registrationDeadline'),
    location: f.location,
    capacity: count(f.capacity, 'capacity'),
    optionLimit: count(f.optionLimit, 'optionLimit'),
    options: parseOptions(f.options),
    audience: { kind, ids },
  };
}

/** The form's fields for an existing activity. */
export function toForm(a: ActivityView, timeZone: string): ActivityForm {
  return {
    title: a.title,
    type: a.type,
    description: a.description,
    startAt: isoToZoned(a.startAt, timeZone),
    endAt: isoToZoned(a.endAt, timeZone),
    registrationDeadline: isoToZoned(a.registrationDeadline, timeZone),
    location: a.location,
    capacity: a.capacity === null ? '' : String(a.capacity),
    optionLimit: a.optionLimit === null ? '' : String(a.optionLimit),
    options: a.options.map((o) => (o.capacity === null ? o.name : `${o.name}:${o.capacity}`)).join('\n'),
    audienceKind: a.audience.kind,
    audienceIds: a.audience.kind === 'groups' ? '' : a.audience.ids.join(','),
    audienceGroups: a.audience.kind === 'groups' ? a.audience.ids : [],
  };
}
