// authorized_key (ansible.posix.authorized_key): the key file is parsed and rewritten here with
// the module's own algorithm (parsekey/parsekeys/serialize: keys by their base64 body, ranks,
// options), then written on the host only when a key was added, replaced or removed.
import { shQuote } from '../ssh/shell-quote';
import { bool, str, type ModuleFn, type ModuleResult } from './types';

const KEY_TYPES = new Set([
  'sk-ecdsa-sha2-nistp256@openssh.com', 'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com', 'webauthn-sk-ecdsa-sha2-nistp256@openssh.com',
  'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp521-cert-v01@openssh.com', 'sk-ssh-ed25519@openssh.com', 'sk-ssh-ed25519-cert-v01@openssh.com',
  'ssh-ed25519', 'ssh-ed25519-cert-v01@openssh.com', 'ssh-dss', 'ssh-rsa', 'ssh-xmss@openssh.com', 'ssh-xmss-cert-v01@openssh.com',
  'rsa-sha2-256', 'rsa-sha2-512', 'ssh-rsa-cert-v01@openssh.com', 'rsa-sha2-256-cert-v01@openssh.com', 'rsa-sha2-512-cert-v01@openssh.com',
  'ssh-dss-cert-v01@openssh.com',
]);

/** One entry: a key (options may be null), or a line kept as written ('skipped'). */
interface Entry {
  id: string;
  type: string;
  options: [string, string | null][] | null;
  comment: string | null;
  rank: number;
}

export function parseOptions(options: string | null): [string, string | null][] {
  const out = new Map<string, string | null>();
  if (options) {
    // re.split with a capturing group, [1:-1]: the option parts and the commas between them.
    const parts = options.split(/((?:[^,"']|"[^"]*"|'[^']*')+)/).slice(1, -1);
    for (const part of parts) {
      const eq = part.indexOf('=');
      if (eq >= 0) out.set(part.slice(0, eq), part.slice(eq + 1));
      else if (part !== ',' && part !== '') out.set(part, null);
    }
  }
  return [...out];
}

export function parseKey(raw: string, rank: number): Entry | undefined {
  const line = raw.replace(/\\#/g, '#');
  const parts = line.split(/\s+/).filter(Boolean);
  if (parts[0] === '#') return { id: line, type: 'skipped', options: null, comment: null, rank };
  const i = parts.findIndex((p) => KEY_TYPES.has(p));
  if (i < 0 || parts.length <= i + 1) return undefined;
  return { id: parts[i + 1], type: parts[i], options: parseOptions(i > 0 ? parts.slice(0, i).join(' ') : null), comment: parts.slice(i + 2).join(' '), rank };
}

function parseKeys(text: string): Map<string, Entry> {
  const keys = new Map<string, Entry>();
  (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).forEach((line, rank) => {
    const e = parseKey(line, rank);
    keys.set(e ? e.id : line, e ?? { id: line, type: 'skipped', options: null, comment: null, rank });
  });
  return keys;
}

function serialize(keys: Map<string, Entry>): string {
  return [...keys.values()]
    .sort((a, b) => a.rank - b.rank)
    .map((k) => {
      if (k.type === 'skipped') return k.id;
      const opts = k.options && k.options.length ? `${k.options.map(([o, v]) => (v === null ? o : `${o}=${v}`)).join(',')} ` : '';
      return `${opts}${k.type} ${k.id} ${k.comment}\n`;
    })
    .join('');
}

function sameOptions(a: Entry['options'], b: Entry['options']): boolean {
  const x = new Map(a ?? []);
  const y = new Map(b ?? []);
  return x.size === y.size && [...x].every(([k, v]) => y.has(k) && y.get(k) === v);
}

export const authorizedKeyModule: ModuleFn = async (ctx) => {
  const a = ctx.args;
  const user = str(a.user);
  let key = str(a.key);
  if (!user || a.key === undefined) return { failed: true, msg: `missing required arguments: ${[!user && 'user', a.key === undefined && 'key'].filter(Boolean).join(', ')}` };
  const state = str(a.state, 'present');
  const path = a.path === undefined || a.path === null ? undefined : str(a.path);
  const manageDir = a.manage_dir === undefined ? true : bool(a.manage_dir);
  const exclusive = bool(a.exclusive);
  if (key.startsWith('http')) {
    // fetch_url runs on the managed host, as the module does.
    const r = await ctx.exec(`curl -fsSL ${shQuote(key)} 2>/dev/null || wget -qO- ${shQuote(key)}`);
    if (r.rc !== 0) return { failed: true, msg: `Error getting key from: ${key}` };
    key = r.stdout;
  }
  const u = await ctx.exec(`getent passwd ${shQuote(user)} | cut -d: -f3,4,6`);
  const [uid, gid, home] = u.stdout.trim().split(':');
  if (u.rc !== 0 || !uid) {
    if (ctx.check && path === undefined) return { failed: true, msg: 'Either user must exist or you must provide full path to key file in check mode' };
    if (!(ctx.check && path !== undefined)) return { failed: true, msg: `Failed to lookup user ${user}: "getpwnam(): name not found: '${user}'"` };
  }
  const keyfile = path ?? `${home}/.ssh/authorized_keys`;
  const sshdir = path === undefined ? `${home}/.ssh` : keyfile.replace(/\/[^/]*$/, '') || '/';
  const existing = (await ctx.exec(`[ -f ${shQuote(keyfile)} ] && cat ${shQuote(keyfile)}; true`)).stdout;
  const keys = parseKeys(existing);
  const maxRank = keys.size;
  const keep: string[] = [];
  let write = false;
  const wanted = key.split(/\r\n|\n|\r/).filter((s) => s && !s.startsWith('#'));
  for (const [rank, line] of wanted.entries()) {
    let parsed = parseKey(line, rank);
    if (!parsed) return { failed: true, msg: `invalid key specified: ${line}` };
    if (a.key_options !== undefined && a.key_options !== null) parsed = { ...parsed, options: parseOptions(str(a.key_options)) };
    if (a.comment !== undefined && a.comment !== null) parsed = { ...parsed, comment: str(a.comment) };
    const old = keys.get(parsed.id);
    let matched = false;
    let nonMatching = false;
    if (old) {
      if ((old.type !== parsed.type || !sameOptions(old.options, parsed.options) || old.comment !== parsed.comment) && state === 'present') nonMatching = true;
      else matched = true;
    }
    if (state === 'present') {
      keep.push(parsed.id);
      if (nonMatching) {
        keys.delete(parsed.id);
        write = true;
      }
      if (!matched) {
        keys.set(parsed.id, { ...parsed, rank: maxRank + parsed.rank });
        write = true;
      }
    } else if (matched) {
      keys.delete(parsed.id);
      write = true;
    }
  }
  if (state === 'present' && exclusive) {
    for (const id of [...keys.keys()]) {
      if (!keep.includes(id)) {
        keys.delete(id);
        write = true;
      }
    }
  }
  const res: ModuleResult = { changed: false, user, key, path: path ?? null, manage_dir: manageDir, state, exclusive, keyfile, key_options: a.key_options ?? null, comment: a.comment ?? null, follow: bool(a.follow), validate_certs: a.validate_certs === undefined ? true : bool(a.validate_certs) };
  if (!write) return res;
  res.changed = true;
  if (ctx.check) return res;
  const f = shQuote(keyfile);
  const d = shQuote(sshdir);
  const script = `set -e
${manageDir ? `[ -e ${d} ] || mkdir -m 0700 ${d}; chown ${uid}:${gid} ${d}; chmod 0700 ${d}` : ''}
if [ ! -e ${f} ]; then mkdir -p "$(dirname ${f})"; : > ${f}; fi
chown ${uid}:${gid} ${f} 2>/dev/null || true; chmod 0600 ${f} 2>/dev/null || true
t=$(mktemp "$(dirname ${f})/.baton.XXXXXX"); cat > "$t"; chmod "$(stat -c %a ${f})" "$t"; chown "$(stat -c %u:%g ${f})" "$t"; mv -f "$t" ${f}`;
  const w = await ctx.exec(script, serialize(keys));
  if (w.rc !== 0) return { ...res, failed: true, changed: false, msg: w.stderr.trim() || `Failed to write to file ${keyfile}` };
  return res;
};
