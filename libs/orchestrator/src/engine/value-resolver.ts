// Evaluates deferred TOSCA functions (§4.5 get_attribute, §4.6 get_operation_output, §4.3
// concat/join/token) once run-time values exist. What cannot be resolved yet is reported, not
// guessed: the caller decides whether that is an error.
import type { DeferredExpression, Value } from '@lib/tosca';

export interface ResolveContext {
  attribute(entity: string, attribute: string, capabilityOrRequirement?: string): unknown;
  operationOutput(entity: string, iface: string, operation: string, output: string): unknown;
}

export interface Resolved {
  value: unknown;
  /** Human-readable references that had no value yet. */
  missing: string[];
}

function isDeferred(v: unknown): v is DeferredExpression {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { $deferred?: unknown }).$deferred === 'string';
}

export function resolveValue(value: Value, ctx: ResolveContext): Resolved {
  const missing: string[] = [];
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (isDeferred(v)) return evaluate(v);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  const evaluate = (d: DeferredExpression): unknown => {
    switch (d.$deferred) {
      case 'get_attribute': {
        let out = ctx.attribute(d.entity, d.attribute, d.capabilityOrRequirement);
        for (const key of d.keys) {
          // INDIGO types declare addresses as lists and index them (`[HOST, private_address, 0]`);
          // a scalar value is its own element 0.
          if (key === 0 && out !== null && typeof out !== 'object') continue;
          out = out === undefined || out === null ? undefined : (out as Record<string | number, unknown>)[key];
        }
        if (out === undefined) missing.push(`get_attribute ${d.entity}.${d.attribute}`);
        return out ?? null;
      }
      case 'get_operation_output': {
        const out = ctx.operationOutput(d.entity, d.interface, d.operation, d.output);
        if (out === undefined) missing.push(`get_operation_output ${d.entity}.${d.interface}.${d.operation}.${d.output}`);
        return out ?? null;
      }
      case 'concat':
        return d.args.map((a) => text(walk(a))).join('');
      case 'join': {
        const items = d.list.flatMap((a) => {
          const r = walk(a);
          return Array.isArray(r) ? r : [r];
        });
        return `${d.prefix ?? ''}${items.map(text).join(d.delimiter)}${d.suffix ?? ''}`;
      }
      case 'token': {
        const s = text(walk(d.string));
        const parts = s.split(new RegExp(`[${d.separators.replace(/[\]\\^-]/g, '\\$&')}]`));
        return parts[d.index] ?? null;
      }
    }
  };
  return { value: walk(value), missing };
}
