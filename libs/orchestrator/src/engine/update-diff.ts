// Update (PUT) as a diff of instances (reference §1.4 scale-in, §2.3 update workflow): per node
// template, surviving instances keep their ids and are reconfigured; scale-out adds instances
// with fresh indices; scale-in removes those named in `removal_list` first, then the newest.
import type { NodeInstance } from '@lib/tosca';

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

/** `removalList`: per template, resource uuids (or instance ids) the user asked to remove. */
export function diffInstances(existing: ExistingInstance[], planned: NodeInstance[], removalList: Record<string, string[]>): InstanceDiff {
  const diff: InstanceDiff = { mapping: {}, added: [], kept: [], removed: [] };
  const templates = new Set([...existing.map((e) => e.template), ...planned.map((p) => p.template)]);
  for (const template of [...templates].sort()) {
    const have = existing.filter((e) => e.template === template).sort((a, b) => a.index - b.index);
    const want = planned.filter((p) => p.template === template).sort((a, b) => a.index - b.index);
    const surplus = Math.max(0, have.length - want.length);
    const asked = new Set(removalList[template] ?? []);
    const remove = new Set<string>();
    for (const e of have) {
      if (remove.size < surplus && (asked.has(e.resourceId) || asked.has(e.instanceId))) remove.add(e.instanceId);
    }
    for (const e of [...have].reverse()) {
      if (remove.size < surplus) remove.add(e.instanceId);
    }
    const survivors = have.filter((e) => !remove.has(e.instanceId));
    let next = Math.max(-1, ...have.map((e) => e.index)) + 1;
    want.forEach((p, k) => {
      const survivor = survivors[k];
      if (survivor) {
        diff.mapping[p.id] = survivor.instanceId;
        diff.kept.push(survivor.instanceId);
      } else {
        const index = have.length === 0 ? p.index : next++;
        const instanceId = have.length === 0 ? p.id : `${template}_${index}`;
        diff.mapping[p.id] = instanceId;
        diff.added.push({ instanceId, template, index });
      }
    });
    diff.removed.push(...have.filter((e) => remove.has(e.instanceId)).map((e) => e.instanceId));
  }
  return diff;
}
