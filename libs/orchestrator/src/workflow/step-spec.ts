// What a workflow step does, as data: a discriminated union on `kind`, one member per thing a step
// can do to a node instance. The planner (planner.ts) writes these; the step handler switches on
// `kind` and TypeScript checks that every kind is handled. Stored as JSON in the steps table;
// readStepSpec is the one place that turns stored JSON back into a spec.
import type { OperationModel } from '@lib/tosca';

/** One requirement of an instance, resolved to the actual instance it points to. */
export interface InstanceRequirement {
  requirement: string;
  relationship: string;
  target: string;
}

interface InstanceStepSpec {
  instanceId: string;
  template: string;
  index: number;
  requirements: InstanceRequirement[];
}

/** Provision the instance (server, volume, or nothing for software) and run its whole lifecycle. */
export interface CreateStepSpec extends InstanceStepSpec {
  kind: 'create';
}

/** A kept instance on update: its configure operations run again with the new values. */
export interface ReconfigureStepSpec extends InstanceStepSpec {
  kind: 'reconfigure';
}

/** Scale-in: Standard `stop` then `delete` (those with an implementation), then its cloud objects go. */
export interface RemoveStepSpec extends InstanceStepSpec {
  kind: 'remove';
  teardown: OperationModel[];
}

export type StepSpec = CreateStepSpec | ReconfigureStepSpec | RemoveStepSpec;
export type StepKind = StepSpec['kind'];

export const STEP_KINDS: readonly StepKind[] = ['create', 'reconfigure', 'remove'];

function isStepKind(kind: string): kind is StepKind {
  return (STEP_KINDS as readonly string[]).includes(kind);
}

function text(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

function requirementsOf(v: unknown): InstanceRequirement[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((r: unknown) => {
    if (typeof r !== 'object' || r === null) return [];
    const { requirement, relationship, target } = r as Record<string, unknown>;
    return typeof requirement === 'string' && typeof relationship === 'string' && typeof target === 'string' ? [{ requirement, relationship, target }] : [];
  });
}

function operationsOf(v: unknown): OperationModel[] {
  if (!Array.isArray(v)) return [];
  // Written by removalSteps from the compiled topology's own operations: same shape back.
  return v.filter((op: unknown): op is OperationModel => typeof op === 'object' && op !== null && typeof (op as { name?: unknown }).name === 'string');
}

/**
 * A stored spec back as a typed one. `kind` is the steps table's column; rows written before
 * the spec carried its kind, and removals written before they carried their teardown, still read.
 */
export function readStepSpec(kind: string, json: unknown): StepSpec {
  if (!isStepKind(kind)) throw new TypeError(`unknown step kind ${kind}`);
  const o = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const base: InstanceStepSpec = {
    instanceId: text(o.instanceId),
    template: text(o.template),
    index: typeof o.index === 'number' ? o.index : 0,
    requirements: requirementsOf(o.requirements),
  };
  switch (kind) {
    case 'create':
      return { kind, ...base };
    case 'reconfigure':
      return { kind, ...base };
    case 'remove':
      return { kind, ...base, teardown: operationsOf(o.teardown) };
  }
}
