// The inventory model (Ansible's: hosts with vars, groups with hosts, children and vars) and
// host-pattern selection (`all`, `web:&prod:!db`, `web*`, `h1,h2`).

/** Hosts and groups, as Ansible's inventory. Group `all` and `ungrouped` are implicit. */
export interface Inventory {
  /** Host name → host vars (ansible_host, ansible_user, ansible_port, ...). */
  hosts: Record<string, Record<string, unknown>>;
  /** Group name → member hosts, child groups and group vars. */
  groups: Record<string, InventoryGroup>;
  /** Folder of the inventory file, whose group_vars/ and host_vars/ apply (unset for inline text). */
  dir?: string;
}

export interface InventoryGroup {
  hosts: string[];
  children: string[];
  vars: Record<string, unknown>;
}

export function emptyGroup(): InventoryGroup {
  return { hosts: [], children: [], vars: {} };
}

/** All hosts of a group, its children's included, in inventory order. */
export function groupHosts(inv: Inventory, group: string, seen = new Set<string>()): string[] {
  if (group === 'all') return Object.keys(inv.hosts);
  if (group === 'ungrouped') {
    const grouped = new Set(Object.entries(inv.groups).filter(([n]) => n !== 'all' && n !== 'ungrouped').flatMap(([, g]) => g.hosts));
    return [...new Set([...(inv.groups.ungrouped?.hosts ?? []), ...Object.keys(inv.hosts).filter((h) => !grouped.has(h))])];
  }
  const g = inv.groups[group];
  if (!g || seen.has(group)) return [];
  seen.add(group);
  const out = [...g.hosts];
  for (const c of g.children) out.push(...groupHosts(inv, c, seen));
  return [...new Set(out)];
}

/** Groups a host belongs to (directly or through children), `all` first, as `group_names` lists them. */
export function hostGroups(inv: Inventory, host: string): string[] {
  return Object.keys(inv.groups)
    .filter((g) => g !== 'all' && groupHosts(inv, g).includes(host))
    .sort();
}

/** A host's groups in the order their variables apply: parents before children, then by name. */
export function sortGroups(inv: Inventory, groups: string[]): string[] {
  const depth = (g: string, seen = new Set<string>()): number => {
    if (seen.has(g)) return 0;
    seen.add(g);
    const parents = Object.entries(inv.groups).filter(([, v]) => v.children.includes(g)).map(([n]) => n);
    return parents.length === 0 ? 1 : 1 + Math.max(...parents.map((p) => depth(p, seen)));
  };
  return [...groups].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
}

/** Group-var layers for a host, lowest precedence first: all, then parents before children. */
export function groupVarLayers(inv: Inventory, host: string): Record<string, unknown>[] {
  return [inv.groups.all?.vars ?? {}, ...sortGroups(inv, hostGroups(inv, host)).map((g) => inv.groups[g]?.vars ?? {})];
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

function matchOne(inv: Inventory, term: string): string[] {
  if (term === 'all' || term === '*') return Object.keys(inv.hosts);
  if (term.startsWith('~')) {
    const re = new RegExp(term.slice(1));
    return Object.keys(inv.hosts).filter((h) => re.test(h));
  }
  if (inv.groups[term] || term === 'ungrouped') return groupHosts(inv, term);
  if (inv.hosts[term]) return [term];
  if (/[*?]/.test(term)) {
    const re = globToRegExp(term);
    const groups = Object.keys(inv.groups).filter((g) => re.test(g)).flatMap((g) => groupHosts(inv, g));
    return [...new Set([...groups, ...Object.keys(inv.hosts).filter((h) => re.test(h))])];
  }
  if (term === 'localhost' || term === '127.0.0.1') return [term];
  return [];
}

/** Hosts matched by an Ansible host pattern, in inventory order. */
export function selectHosts(inv: Inventory, pattern: string | string[]): string[] {
  const terms = (Array.isArray(pattern) ? pattern : pattern.split(/[,:]/)).map((t) => t.trim()).filter(Boolean);
  let result: string[] = [];
  const plain = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  for (const t of plain) for (const h of matchOne(inv, t)) if (!result.includes(h)) result.push(h);
  for (const t of terms.filter((t) => t.startsWith('&'))) {
    const keep = new Set(matchOne(inv, t.slice(1)));
    result = result.filter((h) => keep.has(h));
  }
  for (const t of terms.filter((t) => t.startsWith('!'))) {
    const drop = new Set(matchOne(inv, t.slice(1)));
    result = result.filter((h) => !drop.has(h));
  }
  const order = Object.keys(inv.hosts);
  return result.sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
  });
}
