// group_vars/ and host_vars/ folders beside the inventory and beside the playbook, read as
// ansible-core 2.14's host_group_vars plugin reads them, and merged in Ansible's default
// VARIABLE_PRECEDENCE: inventory `all` vars < inventory group vars < inventory-adjacent
// group_vars/all < playbook-adjacent group_vars/all < inventory-adjacent group_vars/GROUP <
// playbook-adjacent group_vars/GROUP; then inventory host vars < inventory-adjacent host_vars/HOST
// < playbook-adjacent host_vars/HOST.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { InventoryError } from '../errors';
import { readYamlFile } from '../playbook/load-playbook';
import { isMapping } from '../template/python';
import { groupVarLayers, hostGroups, sortGroups, type Inventory } from './inventory';

const EXTENSIONS = ['.yml', '.yaml', '.json'];

/** Files of a folder, sorted, recursing, without hidden, backup (`~`) or other-extension files. */
function dirFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const path = join(dir, name);
    const ext = extname(name);
    const st = statSync(path);
    if (st.isDirectory() && !ext) out.push(...dirFiles(path));
    else if (st.isFile() && (!ext || EXTENSIONS.includes(ext))) out.push(path);
  }
  return out;
}

/** The files for one entity: the first of NAME (file or folder), NAME.yml, NAME.yaml, NAME.json. */
function entityFiles(base: string): string[] {
  for (const ext of ['', ...EXTENSIONS]) {
    const path = base + ext;
    if (!existsSync(path)) continue;
    return statSync(path).isDirectory() ? dirFiles(path) : [path];
  }
  return [];
}

/** Variables of `group_vars/NAME` or `host_vars/NAME` under `dir`; files later in order win. */
export function adjacentVars(dir: string | undefined, kind: 'group_vars' | 'host_vars', name: string): Record<string, unknown> {
  if (!dir) return {};
  const out: Record<string, unknown> = {};
  for (const file of entityFiles(join(dir, kind, name))) {
    const data = readYamlFile(file);
    if (data === null || data === undefined) continue;
    if (!isMapping(data)) throw new InventoryError(`${file}: ${kind} must be a mapping`);
    Object.assign(out, data);
  }
  return out;
}

export interface VarsDirs {
  /** Folder of the inventory file (its group_vars/ and host_vars/). */
  inventoryDir?: string;
  /** Folder of the playbook. */
  playbookDir?: string;
}

/** A host's group-var layers (lowest first) and host vars, adjacent folders included. */
export function hostVarLayers(inv: Inventory, host: string, dirs: VarsDirs): { groupLayers: Record<string, unknown>[]; hostVars: Record<string, unknown> } {
  // A host only named by the playbook (localhost) is in `all` and no other group.
  const known = inv.hosts[host] !== undefined;
  const inventoryLayers = known ? groupVarLayers(inv, host) : [inv.groups.all?.vars ?? {}];
  const ordered = known ? sortGroups(inv, hostGroups(inv, host)) : [];
  const adjacent = (dir: string | undefined, name: string) => adjacentVars(dir, 'group_vars', name);
  const groupLayers = [
    ...inventoryLayers,
    adjacent(dirs.inventoryDir, 'all'),
    adjacent(dirs.playbookDir, 'all'),
    ...ordered.map((g) => adjacent(dirs.inventoryDir, g)),
    ...ordered.map((g) => adjacent(dirs.playbookDir, g)),
  ];
  const hostVars = { ...(inv.hosts[host] ?? {}), ...adjacentVars(dirs.inventoryDir, 'host_vars', host), ...adjacentVars(dirs.playbookDir, 'host_vars', host) };
  return { groupLayers, hostVars };
}
