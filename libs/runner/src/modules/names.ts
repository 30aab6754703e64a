// Modules the runner implements, and the FQCN/alias spellings that map onto them.

export const SUPPORTED_MODULES = new Set([
  'command', 'shell', 'raw', 'script', 'copy', 'template', 'file', 'lineinfile', 'blockinfile', 'stat',
  'get_url', 'unarchive', 'package', 'apt', 'yum', 'dnf', 'service', 'systemd', 'user', 'group',
  'wait_for', 'uri', 'debug', 'set_fact', 'assert', 'fail', 'pause', 'ping', 'setup', 'meta',
  'include_vars', 'import_tasks', 'include_tasks', 'import_role', 'include_role', 'include',
  'replace', 'hostname', 'mount', 'authorized_key',
]);

const ALIASES: Record<string, string> = { systemd_service: 'systemd', gather_facts: 'setup' };

/** `ansible.builtin.copy` → `copy`; unknown names come back unchanged. */
export function canonicalModule(name: string): string {
  // ansible.posix.mount and authorized_key are what ansible-core 2.14 runs for the short names.
  const short = name.replace(/^ansible\.(builtin|legacy|posix)\./, '');
  return ALIASES[short] ?? short;
}

/** Lookup plugins the templater implements (`lookup('NAME', ...)`, `query`, `with_NAME`). */
export const SUPPORTED_LOOKUPS = new Set(['env', 'file', 'vars', 'items', 'list', 'dict', 'first_found']);

/** `with_*` loop keywords the task runner implements. */
export const SUPPORTED_LOOPS = new Set(['items', 'list', 'dict', 'indexed_items', 'together', 'nested', 'sequence', 'first_found']);
