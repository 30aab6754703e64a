// RADL, the IM's description language (grycap/RADL radl.py `__str__`, radl_json.py
// `radlToSimple`), rendered read-only from what the engine records of each server: its
// VirtualMachineInfo (already IM's "simple" JSON form: `[{class, id, feature: value}]`) with the
// VM's current IM state. baton accepts no RADL; it only shows it, as IM's clients read it.
import type { DeploymentStatus, ResourceRecord } from '@lib/orchestrator';
import { imVmState, type ImState, type ImVm } from './im-infrastructure.dto';

/** One RADL element in IM's simple JSON form (`class` network or system, `id`, features). */
export type RadlSimple = Record<string, unknown> & { class: string; id: string };

/** The VM's RADL elements: its recorded info, or a bare system before the server exists. */
export function vmRadl(resource: ResourceRecord, state: ImState): RadlSimple[] {
  let recorded: unknown;
  try {
    recorded = resource.metadata.VirtualMachineInfo ? (JSON.parse(resource.metadata.VirtualMachineInfo) as { vmProperties?: unknown }).vmProperties : undefined;
  } catch {
    recorded = undefined;
  }
  const elements = Array.isArray(recorded) ? (recorded as RadlSimple[]) : [];
  const system = elements.find((e) => e.class === 'system');
  const others = elements.filter((e) => e !== system);
  return [...others, { ...(system ?? { class: 'system', id: resource.toscaNodeName }), state }];
}

const RADL_NAME = /^[a-zA-Z_.][\w.-]*$/;

/** A RADL string literal: single quotes, `\'` inside (the RADL lexer's STRING rule). */
const quote = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function feature(key: string, value: unknown): string | undefined {
  const min = key.endsWith('_min');
  const max = key.endsWith('_max');
  const prop = min || max ? key.slice(0, -4) : key;
  if (!RADL_NAME.test(prop) || value === null || value === undefined) return undefined;
  const op = min ? '>=' : max ? '<=' : '=';
  if (typeof value === 'number' && Number.isFinite(value)) return `${prop} ${op} ${value}`;
  if (Array.isArray(value)) return `${prop} ${op} [${value.map((v) => quote(String(v))).join(',')}]`;
  return `${prop} ${op} ${quote(typeof value === 'string' ? value : JSON.stringify(value))}`;
}

/** RADL text: `network id ( f and f )` and `system id (\nf and\nf\n)`, as IM prints a VM. */
export function radlText(elements: RadlSimple[]): string {
  const out: string[] = [];
  for (const e of elements) {
    if (!RADL_NAME.test(e.id)) continue;
    const features = Object.entries(e)
      .filter(([k]) => k !== 'class' && k !== 'id')
      .map(([k, v]) => feature(k, v))
      .filter((f): f is string => f !== undefined);
    if (e.class === 'network') out.push(`network ${e.id} ( ${features.join(' and ')} )`);
    else if (e.class === 'system') out.push(`system ${e.id} (\n${features.join(' and\n')}\n)`);
  }
  return `${out.join('\n\n')}\n`;
}

const INSTANCE_FEATURES = /^(state|instance_id|instance_name|net_interface\.\d+\.ip)$/;

/**
 * An infrastructure's RADL as IM's `/radl` shows it: each network once, one system per node
 * template (without one instance's addresses and ids), and a `deploy` line with its VM count.
 */
export function infrastructureRadl(vms: ImVm[], status: DeploymentStatus): { text: string; simple: RadlSimple[] } {
  const networks = new Map<string, RadlSimple>();
  const systems = new Map<string, RadlSimple>();
  const counts = new Map<string, number>();
  for (const v of vms) {
    for (const e of vmRadl(v.resource, imVmState(v.resource.state, status))) {
      if (e.class === 'network' && !networks.has(e.id)) networks.set(e.id, e);
      if (e.class === 'system' && !systems.has(e.id)) systems.set(e.id, Object.fromEntries(Object.entries(e).filter(([k]) => !INSTANCE_FEATURES.test(k))) as RadlSimple);
      if (e.class === 'system') counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
    }
  }
  const simple = [...networks.values(), ...systems.values()];
  const deploys = [...counts].filter(([name]) => RADL_NAME.test(name)).map(([name, n]) => `deploy ${name} ${n}`);
  const text = radlText(simple) + (deploys.length ? `\n${deploys.join('\n')}\n` : '');
  return { text, simple: [...simple, ...[...counts].map(([name, n]) => ({ class: 'deploy', id: name, system: name, vm_number: n }))] };
}
