import type { Actor, Ctx, Trx } from '../context';
import type { Subscriber } from '../areas/types';

/** Where a change came from, as history rows record it. */
export type ChangeSource = 'event' | 'reconcile' | 'schedule' | 'staff' | 'employee' | 'import';

/**
 * What an area's single writer publishes after it changed something. Other areas subscribe by type;
 * the payload carries ids and facts, never a row, so subscribers read what they need themselves.
 */
export type DomainEvent =
  | { type: 'membership.joined'; employeeId: string; memberNo: string; rejoined: boolean; source: ChangeSource }
  | { type: 'membership.invited'; employeeId: string; source: ChangeSource }
  | { type: 'membership.expired' | 'membership.retained' | 'membership.withdrew'; employeeId: string; date: string; source: ChangeSource }
  | { type: 'membership.transferred'; employeeId: string; fromOrgId: number | null; toOrgId: number | null; source: ChangeSource };

export type DomainEventType = DomainEvent['type'];

/**
 * Hands published events to the subscribers the areas declared. In-transaction subscribers share the
 * writer's transaction (they commit or roll back with it); after-commit ones are for messages, and a
 * failure there is logged, never undone.
 */
export class DomainBus {
  constructor(private readonly subscribers: readonly Subscriber[] = []) {}

  private matching(phase: Subscriber['phase'], events: DomainEvent[]) {
    return this.subscribers
      .filter((s) => s.phase === phase)
      .map((s) => ({ s, mine: events.filter((e) => s.on.includes(e.type)) }))
      .filter((x) => x.mine.length);
  }

  /** `actorFor` says who caused each person's change when the events of one write have several causes. */
  async inTransaction(ctx: Ctx, trx: Trx, events: DomainEvent[], actor: Actor, actorFor = (_: string) => actor): Promise<void> {
    for (const { s, mine } of this.matching('inTransaction', events)) await s.handle(ctx, mine, { trx, actor, actorFor });
  }

  async afterCommit(ctx: Ctx, events: DomainEvent[]): Promise<void> {
    for (const { s, mine } of this.matching('afterCommit', events)) {
      try {
        await s.handle(ctx, mine);
      } catch (err) {
        ctx.host.logger.warn({ err, subscriber: s.name, events: mine.length }, 'union: after-commit subscriber failed');
      }
    }
  }

  get names(): string[] {
    return this.subscribers.map((s) => s.name);
  }
}
