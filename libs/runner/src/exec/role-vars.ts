// A role's variables as ansible-core 2.14 computes them (playbook/role/__init__.py): defaults of
// its dependencies (all, depth first), of the roles that depend on it (the dep chain), then its
// own; vars likewise with the chain's vars first; parameters of the chain then its own.
import type { RoleRef } from '../playbook/model';

function allDeps(role: RoleRef): RoleRef[] {
  return role.deps.flatMap((d) => [...allDeps(d), d]);
}

export function roleDefaults(role: RoleRef, chain: RoleRef[] = []): Record<string, unknown> {
  return Object.assign({}, ...allDeps(role).map((d) => roleDefaults(d)), ...chain.map((p) => p.defaults), role.defaults) as Record<string, unknown>;
}

export function roleVars(role: RoleRef, chain: RoleRef[] = []): Record<string, unknown> {
  const inherited = chain.flatMap((p) => [p.entryVars, p.vars]);
  return Object.assign({}, ...inherited, ...allDeps(role).map((d) => roleVars(d)), role.entryVars, role.vars) as Record<string, unknown>;
}

export function roleParams(role: RoleRef, chain: RoleRef[] = []): Record<string, unknown> {
  return Object.assign({}, ...chain.map((p) => p.params), role.params) as Record<string, unknown>;
}
