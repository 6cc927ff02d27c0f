/**
 * The host's in-process event bus. HR requests emit after their transaction commits and wait for
 * subscribers, but a subscriber's failure is logged, never turned into an HR error: the HR change
 * already happened, and the module's reconciliation repairs whatever a failed handler missed.
 */
import { randomUUID } from 'node:crypto';
import type { HostClock, HostEvent, HostEventHandler, HostEvents, HostEventType, HostLogger } from '../../plugin/host';

export class EventBus implements HostEvents {
  private readonly handlers = new Map<HostEventType, Set<HostEventHandler>>();

  constructor(
    private readonly logger: HostLogger,
    private readonly clock: HostClock = { now: () => new Date() },
  ) {}

  on(type: HostEventType, handler: HostEventHandler): void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler);
  }

  off(type: HostEventType, handler: HostEventHandler): void {
    this.handlers.get(type)?.delete(handler);
  }

  /** A new event with a fresh id, stamped with the host clock (when it happened). */
  create(type: HostEventType, data: HostEvent['data'], at: Date = this.clock.now()): HostEvent {
    return { id: `evt_${randomUUID()}`, type, timestamp: at.toISOString(), data };
  }

  /** Delivers to every subscriber in turn (in registration order) and resolves when all are done. */
  async emit(event: HostEvent): Promise<void> {
    // A copy, so a handler that unsubscribes does not skip the next one.
    for (const handler of [...(this.handlers.get(event.type) ?? [])]) {
      try {
        await handler(event);
      } catch (err) {
        this.logger.error({ err, eventId: event.id, type: event.type }, 'event handler failed');
      }
    }
  }

  listenerCount(type: HostEventType): number {
    return this.handlers.get(type)?.size ?? 0;
  }
}
