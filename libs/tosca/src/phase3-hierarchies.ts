// Phase 3: hierarchies (STYLE.md rule 6; TOSCA 1.3 §3.7.1 derived_from). Each type gets its
// parent and its lineage; unknown parents and cycles are reported (the cycle is named).
import { diag, type DiagnosticBag } from './diagnostics';
import type { Namespaces, TypeEntry, TypeKind } from './phase2-namespaces';
import { PRIMITIVE_TYPES } from './primitive-types';
import { here, join } from './where';

export interface TypeNode {
  entry: TypeEntry;
  kind: TypeKind;
  name: string;
  parent?: TypeNode;
  /** This type's name and its ancestors', most specific first. */
  lineage: string[];
  /** For data types derived from a primitive (e.g. PortDef from integer). */
  primitive?: string;
}

export interface Hierarchies {
  ns: Namespaces;
  nodes: Map<TypeEntry, TypeNode>;
}

/** Look a type name up in the table of its kind. */
export function lookup(h: Hierarchies, kind: TypeKind, name: string): TypeNode | undefined {
  const entry = h.ns.tables[kind].get(name);
  return entry ? h.nodes.get(entry) : undefined;
}

/** True when `type` is `ancestor` or derives from it (names compared through the tables). */
export function derivesFrom(h: Hierarchies, kind: TypeKind, type: TypeNode, ancestor: string): boolean {
  const target = lookup(h, kind, ancestor);
  const name = target ? target.name : ancestor;
  return type.lineage.includes(name);
}

/** Phase 3: resolve derived_from for every type. */
export function hierarchiesPhase(ns: Namespaces, bag: DiagnosticBag): Hierarchies {
  const nodes = new Map<TypeEntry, TypeNode>();
  const h: Hierarchies = { ns, nodes };
  for (const entry of ns.entries) nodes.set(entry, { entry, kind: entry.kind, name: entry.name, lineage: [] });
  const state = new Map<TypeNode, 'visiting' | 'done'>();

  const visit = (node: TypeNode, chain: TypeNode[]): void => {
    const s = state.get(node);
    if (s === 'done') return;
    if (s === 'visiting') {
      const start = chain.indexOf(node);
      const names = [...chain.slice(start), node].map((n) => n.name);
      const e = node.entry;
      bag.add(diag.typeCycle(here(e.def, 'derived_from', join(e.path, 'derived_from'), e.unit.file), { chain: names }));
      return;
    }
    state.set(node, 'visiting');
    const raw = node.entry.def.derived_from;
    if (typeof raw === 'string' && raw !== '') {
      const parentEntry = ns.tables[node.kind].get(raw);
      const parent = parentEntry ? nodes.get(parentEntry) : undefined;
      if (parent && parent !== node) {
        visit(parent, [...chain, node]);
        if (state.get(parent) === 'done' && parent.lineage.length > 0) {
          node.parent = parent;
          if (parent.primitive) node.primitive = parent.primitive;
        }
      } else if (node.kind === 'data' && PRIMITIVE_TYPES.has(raw)) {
        node.primitive = raw;
      } else if (!parent) {
        const e = node.entry;
        bag.add(diag.unknownType(here(e.def, 'derived_from', join(e.path, 'derived_from'), e.unit.file), { name: raw, kind: node.kind }));
      }
    }
    node.lineage = [node.name, ...(node.parent ? node.parent.lineage : [])];
    state.set(node, 'done');
  };
  for (const node of nodes.values()) visit(node, []);
  return h;
}
