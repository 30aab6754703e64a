// Ansible inventory files: INI (`[group]`, `[group:vars]`, `[group:children]`, `h[1:3]`
// ranges, `key=value` host vars) and YAML (`all: {hosts, vars, children}`), as the ini and yaml
// inventory plugins of ansible-core read them.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InventoryError } from '../errors';
import { shSplit } from '../ssh/shell-quote';
import { emptyGroup, type Inventory } from './inventory';

function expandRange(name: string): string[] {
  const m = /^(.*)\[([0-9a-z]+):([0-9a-z]+)(?::(\d+))?\](.*)$/.exec(name);
  if (!m) return [name];
  const [, pre, a, b, stepText, post] = m;
  const step = Number(stepText ?? 1);
  const out: string[] = [];
  if (/^\d+$/.test(a)) {
    const width = a.length;
    for (let i = Number(a); i <= Number(b); i += step) out.push(...expandRange(`${pre}${String(i).padStart(width, '0')}${post}`));
  } else {
    for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c += step) out.push(...expandRange(`${pre}${String.fromCharCode(c)}${post}`));
  }
  return out;
}

/** INI values: numbers, booleans and quoted strings like Python's literal_eval; the rest verbatim. */
function iniValue(text: string): unknown {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^-?\d+\.\d+$/.test(text)) return Number(text);
  if (text === 'True' || text === 'true') return true;
  if (text === 'False' || text === 'false') return false;
  return text;
}

function addHost(inv: Inventory, name: string, vars: Record<string, unknown>): void {
  inv.hosts[name] = { ...(inv.hosts[name] ?? {}), ...vars };
}

function parseIni(text: string): Inventory {
  const inv: Inventory = { hosts: {}, groups: { all: emptyGroup(), ungrouped: emptyGroup() } };
  let section = 'ungrouped';
  let kind: 'hosts' | 'vars' | 'children' = 'hosts';
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/^\s+|\s+$/g, '');
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]:]+)(?::(vars|children))?\]$/.exec(line);
    if (header) {
      section = header[1];
      kind = (header[2] as 'vars' | 'children' | undefined) ?? 'hosts';
      inv.groups[section] ??= emptyGroup();
      return;
    }
    const group = inv.groups[section];
    if (kind === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) throw new InventoryError(`inventory line ${index + 1}: expected key=value in [${section}:vars]`);
      group.vars[line.slice(0, eq).trim()] = iniValue(line.slice(eq + 1).trim());
      return;
    }
    if (kind === 'children') {
      inv.groups[line] ??= emptyGroup();
      if (!group.children.includes(line)) group.children.push(line);
      return;
    }
    let words: string[];
    try {
      words = shSplit(line.replace(/\s#.*$/, ''));
    } catch (error) {
      throw new InventoryError(`inventory line ${index + 1}: ${(error as Error).message}`, { cause: error });
    }
    const [name, ...rest] = words;
    const vars: Record<string, unknown> = {};
    for (const w of rest) {
      const eq = w.indexOf('=');
      if (eq < 0) throw new InventoryError(`inventory line ${index + 1}: expected key=value after the host name`);
      vars[w.slice(0, eq)] = iniValue(w.slice(eq + 1));
    }
    let hostName = name;
    const portMatch = /^([^:[\]]+):(\d+)$/.exec(name);
    if (portMatch) {
      hostName = portMatch[1];
      vars.ansible_port = Number(portMatch[2]);
    }
    for (const h of expandRange(hostName)) {
      addHost(inv, h, vars);
      if (!group.hosts.includes(h)) group.hosts.push(h);
    }
  });
  return inv;
}

interface YamlGroup {
  hosts?: Record<string, Record<string, unknown> | null>;
  vars?: Record<string, unknown>;
  children?: Record<string, YamlGroup | null>;
}

function parseYamlInventory(doc: Record<string, YamlGroup | null>): Inventory {
  const inv: Inventory = { hosts: {}, groups: { all: emptyGroup(), ungrouped: emptyGroup() } };
  const visit = (name: string, g: YamlGroup | null): void => {
    const group = (inv.groups[name] ??= emptyGroup());
    if (!g) return;
    if (typeof g !== 'object') throw new InventoryError(`inventory group '${name}' must be a mapping`);
    Object.assign(group.vars, g.vars ?? {});
    for (const [h, vars] of Object.entries(g.hosts ?? {})) {
      for (const name2 of expandRange(h)) {
        addHost(inv, name2, vars ?? {});
        if (!group.hosts.includes(name2)) group.hosts.push(name2);
      }
    }
    for (const [child, cg] of Object.entries(g.children ?? {})) {
      if (!group.children.includes(child)) group.children.push(child);
      visit(child, cg);
    }
  };
  for (const [name, g] of Object.entries(doc)) visit(name, g);
  return inv;
}

export function parseInventory(textOrPath: string): Inventory {
  if (!textOrPath.includes('\n') && existsSync(textOrPath) && statSync(textOrPath).isFile()) {
    // Read from a file: its folder's group_vars/ and host_vars/ apply (see vars-dirs.ts).
    return { ...parseInventoryText(readFileSync(textOrPath, 'utf8')), dir: dirname(resolve(textOrPath)) };
  }
  if (!textOrPath.includes('\n') && !textOrPath.includes('=') && textOrPath.includes(',')) {
    // `-i host1,host2,` as ansible-playbook accepts.
    const inv: Inventory = { hosts: {}, groups: { all: emptyGroup(), ungrouped: emptyGroup() } };
    for (const h of textOrPath.split(',').map((s) => s.trim()).filter(Boolean)) {
      inv.hosts[h] = {};
      inv.groups.ungrouped.hosts.push(h);
    }
    return inv;
  }
  return parseInventoryText(textOrPath);
}

function parseInventoryText(text: string): Inventory {
  const trimmed = text.replace(/^(\s*#.*\n)*/g, '').trimStart();
  const looksYaml = /^[A-Za-z0-9_-]+:\s*(#.*)?$/m.test(trimmed.split('\n')[0] ?? '') || trimmed.startsWith('---');
  if (looksYaml) {
    try {
      const doc: unknown = parseYaml(text);
      if (doc && typeof doc === 'object' && !Array.isArray(doc)) return reconcile(parseYamlInventory(doc as Record<string, YamlGroup>));
    } catch (error) {
      throw new InventoryError(`invalid YAML inventory: ${(error as Error).message}`, { cause: error });
    }
    throw new InventoryError('a YAML inventory must be a mapping of groups');
  }
  return reconcile(parseIni(text));
}

/** As Ansible's reconcile_inventory: a host listed in another group is not `ungrouped`. */
function reconcile(inv: Inventory): Inventory {
  const ungrouped = inv.groups.ungrouped;
  if (!ungrouped) return inv;
  const grouped = new Set(Object.entries(inv.groups).filter(([n]) => n !== 'all' && n !== 'ungrouped').flatMap(([, g]) => g.hosts));
  ungrouped.hosts = ungrouped.hosts.filter((h) => !grouped.has(h));
  return inv;
}
