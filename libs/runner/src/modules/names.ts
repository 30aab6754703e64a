// Modules the runner implements, and the FQCN/alias spellings that map onto them.

export const SUPPORTED_MODULES = new Set([
  'command', 'shell', 'raw', 'script', 'copy', 'template', 'file', 'lineinfile', 'blockinfile', 'stat',
  'get_url', 'unarchive', 'package', 'apt', 'yum', 'dnf', 'service', 'systemd', 'user', 'group',
  'wait_for', 'uri', 'debug', 'set_fact', 'assert', 'fail', 'pause', 'ping', 'setup', 'meta',
  'include_vars', 'import_tasks', 'include_tasks', 'import_role', 'include_role',
]);

const ALIASES: Record<string, string> = { systemd_service: 'systemd', gather_facts: 'setup' };

/** `ansible.builtin.copy` → `copy`; unknown names come back unchanged. */
export function canonicalModule(name: string): string {
  const short = name.replace(/^ansible\.(builtin|legacy|posix)\./, '');
  return ALIASES[short] ?? short;
}
