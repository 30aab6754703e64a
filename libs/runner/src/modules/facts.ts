// `setup`: the common Ansible facts from one shell round trip (no Python needed on the host).

const SCRIPT = [
  'echo "@hostname"; hostname -s 2>/dev/null || hostname',
  'echo "@fqdn"; hostname -f 2>/dev/null || hostname',
  'echo "@nodename"; uname -n',
  'echo "@os_release"; cat /etc/os-release 2>/dev/null',
  'echo "@debian_version"; cat /etc/debian_version 2>/dev/null',
  'echo "@redhat_release"; cat /etc/redhat-release 2>/dev/null',
  'echo "@uname"; uname -s; uname -r; uname -m; uname -v',
  'echo "@nproc"; nproc 2>/dev/null; grep -c ^processor /proc/cpuinfo 2>/dev/null',
  'echo "@cpuinfo"; grep -m1 "model name" /proc/cpuinfo 2>/dev/null',
  'echo "@meminfo"; grep -E "^(MemTotal|MemFree|SwapTotal|SwapFree):" /proc/meminfo',
  'echo "@route"; ip -4 route show default 2>/dev/null | head -1',
  'echo "@addr"; ip -4 -o addr show 2>/dev/null',
  'echo "@link"; ip -o link show 2>/dev/null',
  'echo "@user"; id -un; id -u; id -g; echo "$HOME"; echo "$SHELL"',
  'echo "@pkg"; for p in apt-get dnf yum zypper apk pacman; do command -v $p >/dev/null 2>&1 && { echo $p; break; }; done',
  'echo "@init"; if [ -d /run/systemd/system ]; then echo systemd; else cat /proc/1/comm 2>/dev/null; fi',
  'echo "@machine_id"; cat /etc/machine-id 2>/dev/null',
  'echo "@date"; date "+%Y-%m-%d %H:%M:%S %s %Z %z %A %j"',
  'echo "@python"; command -v python3 2>/dev/null',
  'echo "@env"; env',
  'echo "@end"',
].join('; ');

function sections(out: string): Record<string, string[]> {
  const res: Record<string, string[]> = {};
  let cur = '';
  for (const line of out.split('\n')) {
    if (/^@[a-z_]+$/.test(line)) {
      cur = line.slice(1);
      res[cur] = [];
    } else if (cur) res[cur].push(line);
  }
  return res;
}

const FAMILY: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Debian', linuxmint: 'Debian', raspbian: 'Debian',
  rhel: 'RedHat', centos: 'RedHat', fedora: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat', ol: 'RedHat', amzn: 'RedHat',
  sles: 'Suse', opensuse: 'Suse', 'opensuse-leap': 'Suse', alpine: 'Alpine', arch: 'Archlinux',
};
const DISTRIBUTION: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Ubuntu', centos: 'CentOS', fedora: 'Fedora', rhel: 'RedHat', rocky: 'Rocky',
  almalinux: 'AlmaLinux', alpine: 'Alpine', arch: 'Archlinux', amzn: 'Amazon', ol: 'OracleLinux',
};

export const FACTS_COMMAND = SCRIPT;

/** Parses the output of FACTS_COMMAND into facts without the `ansible_` prefix. */
export function parseFacts(out: string): Record<string, unknown> {
  const s = sections(out);
  const os: Record<string, string> = {};
  for (const line of s.os_release ?? []) {
    const m = /^(\w+)=(.*)$/.exec(line);
    if (m) os[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  const id = (os.ID ?? 'linux').toLowerCase();
  let version = os.VERSION_ID ?? '';
  const debianVersion = (s.debian_version ?? [])[0]?.trim();
  if (id === 'debian' && debianVersion && /^\d/.test(debianVersion)) version = debianVersion;
  const [system = 'Linux', kernel = '', arch = '', kernelVersion = ''] = s.uname ?? [];
  const mem: Record<string, number> = {};
  for (const line of s.meminfo ?? []) {
    const m = /^(\w+):\s+(\d+)/.exec(line);
    if (m) mem[m[1]] = Math.floor(Number(m[2]) / 1024);
  }
  const vcpus = Number((s.nproc ?? [])[0] ?? 1);
  const ifaces: Record<string, { address: string; netmask: string; network: string; prefix: string; interface: string }> = {};
  const allIpv4: string[] = [];
  for (const line of s.addr ?? []) {
    const m = /^\d+:\s+(\S+)\s+inet\s+([\d.]+)\/(\d+)/.exec(line);
    if (!m) continue;
    const [, dev, address, prefix] = m;
    const bits = Number(prefix);
    const maskNum = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const toIp = (n: number) => [24, 16, 8, 0].map((b) => (n >>> b) & 255).join('.');
    const addrNum = address.split('.').reduce((a, o) => (a << 8) + Number(o), 0) >>> 0;
    ifaces[dev] ??= { address, netmask: toIp(maskNum), network: toIp((addrNum & maskNum) >>> 0), prefix, interface: dev };
    if (!address.startsWith('127.')) allIpv4.push(address);
  }
  const route = (s.route ?? [])[0] ?? '';
  const rm = /default via (\S+) dev (\S+)/.exec(route);
  const defaultIpv4: Record<string, unknown> = rm && ifaces[rm[2]] ? { ...ifaces[rm[2]], gateway: rm[1], alias: rm[2], type: 'ether' } : {};
  const [userId = '', uid = '', gid = '', home = '', shell = ''] = s.user ?? [];
  const env: Record<string, string> = {};
  for (const line of s.env ?? []) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const [date = '', time = '', epoch = '', tz = '', tzOffset = '', weekday = '', julian = ''] = ((s.date ?? [])[0] ?? '').split(' ');
  const pkg = ((s.pkg ?? [])[0] ?? '').replace('apt-get', 'apt');
  const init = ((s.init ?? [])[0] ?? '').trim();
  const distribution = DISTRIBUTION[id] ?? (os.NAME ?? 'Linux');
  const interfaces = (s.link ?? []).map((l) => /^\d+:\s+([^:@]+)/.exec(l)?.[1]).filter((x): x is string => Boolean(x));
  return {
    hostname: (s.hostname ?? [''])[0],
    fqdn: (s.fqdn ?? [''])[0],
    nodename: (s.nodename ?? [''])[0],
    domain: ((s.fqdn ?? [''])[0] ?? '').split('.').slice(1).join('.'),
    os_family: FAMILY[id] ?? FAMILY[(os.ID_LIKE ?? '').split(' ')[0]] ?? distribution,
    distribution,
    distribution_version: version,
    distribution_major_version: version.split('.')[0] ?? '',
    distribution_release: os.VERSION_CODENAME ?? '',
    distribution_file_variety: id === 'debian' || id === 'ubuntu' ? 'Debian' : distribution,
    system,
    kernel,
    kernel_version: kernelVersion,
    architecture: arch,
    machine: arch,
    userspace_architecture: arch,
    processor_vcpus: vcpus,
    processor_count: 1,
    processor_cores: vcpus,
    processor_nproc: vcpus,
    processor: ['0', 'GenuineIntel', ((s.cpuinfo ?? [''])[0] ?? '').replace(/^model name\s*:\s*/, '')],
    memtotal_mb: mem.MemTotal ?? 0,
    memfree_mb: mem.MemFree ?? 0,
    swaptotal_mb: mem.SwapTotal ?? 0,
    swapfree_mb: mem.SwapFree ?? 0,
    default_ipv4: defaultIpv4,
    all_ipv4_addresses: allIpv4,
    interfaces,
    user_id: userId,
    user_uid: Number(uid),
    user_gid: Number(gid),
    user_dir: home,
    user_shell: shell,
    env,
    pkg_mgr: pkg || 'unknown',
    service_mgr: init || 'service',
    machine_id: ((s.machine_id ?? [''])[0] ?? '').trim(),
    python: { executable: ((s.python ?? [''])[0] ?? '').trim() },
    date_time: { date, time, epoch, tz, tz_offset: tzOffset, weekday, julian, iso8601: `${date}T${time}Z` },
    lsb: { id: distribution, codename: os.VERSION_CODENAME ?? '', release: version, major_release: version.split('.')[0] ?? '' },
  };
}

/** `ansible_facts.x` as `ansible_x` top-level variables, as INJECT_FACTS_AS_VARS does. */
export function factVars(facts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ansible_facts: facts };
  for (const [k, v] of Object.entries(facts)) out[k.startsWith('ansible_') ? k : `ansible_${k}`] = v;
  return out;
}
