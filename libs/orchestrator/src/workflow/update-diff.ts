// Update (PUT) as a diff of instances (reference §1.4 scale-in, §2.3 update workflow): per node
// template, surviving instances keep their ids and are reconfigured; scale-out adds instances
// with fresh indices; scale-in removes those named in `removal_list` first, then the newest.
// Hosted instances follow their host: software on a removed server goes with it (it cannot
// outlive its host), and a kept one stays paired with the server it runs on.
import type { InstancePlan, NodeInstance } from '@lib/tosca';
import { isHostedOn } from '../engine/instance-lookup';

export interface ExistingInstance {
  instanceId: string;
  template: string;
  index: number;
  resourceId: string;
}

export interface AddedInstance {
  instanceId: string;
  template: string;
  index: number;
}

export interface InstanceDiff {
  /** Plan instance id → the actual instance id (kept or added). */
  mapping: Record<string, string>;
  added: AddedInstance[];
  kept: string[];
  removed: string[];
}

export interface HostLinks {
  /** Existing instance id → the instance it is hosted on (from the running plan). */
  existing?: Record<string, string>;
  /** Planned instance id → the planned instance it is hosted on (from the new plan). */
  planned?: Record<string, string>;
}

/** Instance id → its HostedOn target, from a plan's edges. */
export function hostLinks(plan: Pick<InstancePlan, 'edges'>): Record<string, string> {
  return Object.fromEntries(plan.edges.filter((e) => isHostedOn({ requirement: e.requirement, relationship: e.relationship, target: e.to })).map((e) => [e.from, e.to]));
}

/** `removalList`: per template, resource uuids (or instance ids) the user asked to remove. */
export function diffInstances(existing: ExistingInstance[], planned: NodeInstance[], removalList: Record<string, string[]>, hosts: HostLinks = {}): InstanceDiff {
  const diff: InstanceDiff = { mapping: {}, added: [], kept: [], removed: [] };
  const hostOf = hosts.existing ?? {};
  const plannedHostOf = hosts.planned ?? {};
  const removed = new Set<string>();
  const templates = [...new Set([...existing.map((e) => e.template), ...planned.map((p) => p.template)])];
  // Hosts first, so their removals and mappings are known when their guests are diffed.
  const templateOf = new Map<string, string>([...existing.map((e) => [e.instanceId, e.template] as const)]);
  const plannedTemplateOf = new Map<string, string>(planned.map((p) => [p.id, p.template] as const));
  const hostTemplate = new Map<string, string>();
  for (const [guest, host] of Object.entries(hostOf)) if (templateOf.has(guest) && templateOf.has(host)) hostTemplate.set(templateOf.get(guest)!, templateOf.get(host)!);
  for (const [guest, host] of Object.entries(plannedHostOf)) if (plannedTemplateOf.has(guest) && plannedTemplateOf.has(host)) hostTemplate.set(plannedTemplateOf.get(guest)!, plannedTemplateOf.get(host)!);
  const depth = (t: string, seen = new Set<string>()): number => {
    const host = hostTemplate.get(t);
    return host && !seen.has(t) ? 1 + depth(host, seen.add(t)) : 0;
  };
  templates.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  for (const template of templates) {
    const have = existing.filter((e) => e.template === template).sort((a, b) => a.index - b.index);
    const want = planned.filter((p) => p.template === template).sort((a, b) => a.index - b.index);
    const surplus = Math.max(0, have.length - want.length);
    const asked = new Set(removalList[template] ?? []);
    const remove = new Set<string>();
    for (const e of have) if (hostOf[e.instanceId] && removed.has(hostOf[e.instanceId])) remove.add(e.instanceId);
    for (const e of have) {
      if (remove.size < surplus && (asked.has(e.resourceId) || asked.has(e.instanceId))) remove.add(e.instanceId);
    }
    for (const e of [...have].reverse()) {
      if (remove.size < surplus) remove.add(e.instanceId);
    }
    for (const id of remove) removed.add(id);
    const survivors = have.filter((e) => !remove.has(e.instanceId));
    const used = new Set<string>();
    let next = Math.max(-1, ...have.map((e) => e.index)) + 1;
    for (const p of want) {
      // A hosted instance is kept only on the server it already runs on; else it is new there.
      const host = plannedHostOf[p.id] ? diff.mapping[plannedHostOf[p.id]] : undefined;
      const free = survivors.filter((e) => !used.has(e.instanceId));
      const survivor = host === undefined ? free[0] : free.find((e) => hostOf[e.instanceId] === host);
      if (survivor) {
        used.add(survivor.instanceId);
        diff.mapping[p.id] = survivor.instanceId;
        diff.kept.push(survivor.instanceId);
      } else {
        const index = have.length === 0 ? p.index : next++;
        const instanceId = have.length === 0 ? p.id : `${template}_${index}`;
        diff.mapping[p.id] = instanceId;
        diff.added.push({ instanceId, template, index });
      }
    }
    // What no planned instance kept goes: the surplus, and guests whose host goes.
    for (const e of have) {
      if (used.has(e.instanceId)) continue;
      removed.add(e.instanceId);
      diff.removed.push(e.instanceId);
    }
  }
  return diff;
}
