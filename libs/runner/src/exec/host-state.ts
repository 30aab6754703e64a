// What the runner knows about one host during a run: connection, facts, variables set by
// tasks, notified handlers, failure and its recap counters.
import type { CommandTarget } from '../ssh/target';
import { emptyStats, type HostStats } from './events';

export class HostState {
  facts?: Record<string, unknown>;
  /** set_fact, include_vars and registered results (precedence above play vars). */
  readonly hostVars: Record<string, unknown> = {};
  readonly notified = new Set<string>();
  readonly stats: HostStats = emptyStats();
  failed = false;
  unreachable = false;
  /** `meta: end_host` / `end_play` stops this host for the rest of the play. */
  ended = false;
  target?: Promise<CommandTarget>;
  /** Role instances (keys) with a task that ran here (not skipped), and those completed. */
  readonly rolesRan = new Set<string>();
  readonly rolesDone = new Set<string>();

  constructor(
    readonly name: string,
    readonly inventoryVars: Record<string, unknown>,
    readonly groupLayers: Record<string, unknown>[],
    readonly groups: string[],
  ) {}

  get active(): boolean {
    return !this.failed && !this.unreachable && !this.ended;
  }
}
