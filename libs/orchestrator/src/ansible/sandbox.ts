// The confinement of ansible-playbook (bubblewrap, Debian's `bubblewrap`): a playbook is code
// from a template, and whatever runs on the controller (`delegate_to: localhost`,
// `local_action`, lookups such as file, pipe, env, template) must not read or write the
// orchestrator host's files. Inside: /usr read-only (Python, Ansible, its collections, ssh), the
// few /etc files ssh and Python need to start (passwd, group, hosts, resolv.conf, nsswitch.conf,
// ssl certificates), an empty /tmp, and the run's own work folder, which holds the playbook, the
// roles, the inventory and the deployment's key. No other file of the host, no environment
// variable of the orchestrator, its own PID, IPC and UTS namespaces. The network is shared: the
// run must reach the deployment's hosts, and limiting it to them needs a network namespace with
// routes and firewall rules per run (root on the orchestrator), which we do not ask for.

const ETC_FILES = ['/etc/passwd', '/etc/group', '/etc/hosts', '/etc/resolv.conf', '/etc/nsswitch.conf', '/etc/ssl', '/etc/ca-certificates', '/etc/alternatives'];

/** bwrap's arguments before the confined command; `workDir` is the only writable folder. */
export function sandboxArgs(workDir: string, existing: (path: string) => boolean): string[] {
  const args = ['--die-with-parent', '--new-session', '--unshare-all', '--share-net', '--clearenv'];
  args.push('--ro-bind', '/usr', '/usr');
  for (const dir of ['bin', 'lib', 'lib64', 'sbin']) args.push('--symlink', `usr/${dir}`, `/${dir}`);
  for (const file of ETC_FILES) if (existing(file)) args.push('--ro-bind', file, file);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--bind', workDir, workDir, '--chdir', workDir);
  args.push('--setenv', 'HOME', workDir, '--setenv', 'PATH', '/usr/bin:/usr/sbin', '--setenv', 'LANG', 'C.UTF-8');
  return args;
}
