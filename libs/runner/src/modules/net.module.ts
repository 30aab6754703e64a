// wait_for, uri, get_url, unarchive. HTTP runs on the host with curl, as Ansible's modules
// run on the host; archives are compared with `tar -d` so an unchanged tree is not `changed`.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { shQuote } from '../ssh/shell-quote';
import { isMapping } from '../template/python';
import { attrsOf, attrsScript, parseStatLine, STAT_LINE } from './remote-file';
import { bool, str, type ModuleFn, type ModuleResult } from './types';

/** What Ansible 2.14's AnsibleModule answers under --check for a module without check support. */
function noCheckMode(module: string): ModuleResult {
  return { changed: false, skipped: true, msg: `remote module (${module}) does not support check mode` };
}

export const waitForModule: ModuleFn = async (ctx) => {
  // Documented as check_mode "full", but ansible-core 2.14's wait_for never declares
  // supports_check_mode, so Ansible skips it under --check (measured); so do we.
  if (ctx.check) return noCheckMode('wait_for');
  const a = ctx.args;
  const host = str(a.host, '127.0.0.1');
  const timeout = Number(a.timeout ?? 300);
  const delay = Number(a.delay ?? 0);
  const sleep = Number(a.sleep ?? 1);
  const state = str(a.state, 'started');
  let check = '';
  const tcp = (h: string, p: string) => `bash -c ${shQuote(`exec 3<>/dev/tcp/${h}/${p}`)} 2>/dev/null`;
  if (a.port !== undefined) {
    const open = tcp(host, str(a.port));
    check = state === 'stopped' || state === 'drained' ? `! ${open}` : open;
  } else if (a.path !== undefined) {
    const p = shQuote(str(a.path));
    if (state === 'absent') check = `[ ! -e ${p} ]`;
    else if (a.search_regex !== undefined) check = `grep -Eq ${shQuote(str(a.search_regex))} ${p} 2>/dev/null`;
    else check = `[ -e ${p} ]`;
  }
  const start = Date.now();
  if (!check) {
    await new Promise((r) => setTimeout(r, (delay + timeout) * 1000));
    return { changed: false, elapsed: Math.round((Date.now() - start) / 1000) };
  }
  const script = `sleep ${delay}; end=$(( $(date +%s) + ${timeout} )); while :; do if ${check}; then exit 0; fi; [ $(date +%s) -ge $end ] && exit 1; sleep ${sleep}; done`;
  const r = await ctx.exec(script);
  const elapsed = Math.round((Date.now() - start) / 1000);
  const res: ModuleResult = { changed: false, elapsed, state, ...(a.port !== undefined ? { port: Number(a.port) } : {}), ...(a.path !== undefined ? { path: str(a.path) } : {}) };
  if (r.rc !== 0) {
    const what = a.port !== undefined ? `${host}:${str(a.port)}` : str(a.path);
    return { ...res, failed: true, msg: str(a.msg, `Timeout when waiting for ${what}${state === 'stopped' || state === 'absent' ? ' to stop' : ''}`) };
  }
  return res;
};

function curlArgs(a: Record<string, unknown>, url: string): string[] {
  const args = ['-sS', '-L', '--max-time', String(a.timeout ?? 30)];
  if (!bool(a.validate_certs, true)) args.push('-k');
  const headers = isMapping(a.headers) ? a.headers : {};
  for (const [k, v] of Object.entries(headers)) args.push('-H', shQuote(`${k}: ${str(v)}`));
  const user = a.url_username ?? a.user;
  const pass = a.url_password ?? a.password;
  if (user !== undefined) args.push('-u', shQuote(`${str(user)}:${str(pass)}`));
  args.push(shQuote(url));
  return args;
}

export const uriModule: ModuleFn = async (ctx) => {
  // check_mode support "none": a POST must not be sent. The uri action runs ansible.legacy.uri.
  if (ctx.check) return noCheckMode('ansible.legacy.uri');
  const a = ctx.args;
  const url = str(a.url);
  const method = str(a.method, 'GET').toUpperCase();
  const expected = (Array.isArray(a.status_code) ? a.status_code : [a.status_code ?? 200]).map(Number);
  const format = str(a.body_format, 'raw');
  let body: string | undefined;
  const extra: string[] = ['-X', method];
  if (a.body !== undefined) {
    if (format === 'json') {
      body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
      extra.push('-H', shQuote('Content-Type: application/json'));
    } else if (format === 'form-urlencoded') {
      body = isMapping(a.body) ? new URLSearchParams(Object.entries(a.body).map(([k, v]): [string, string] => [k, str(v)])).toString() : str(a.body);
      extra.push('-H', shQuote('Content-Type: application/x-www-form-urlencoded'));
    } else body = str(a.body);
    extra.push('--data-binary', '@-');
  }
  if (bool(a.follow_redirects ?? true) === false) extra.push('--max-redirs', '0');
  const dest = a.dest === undefined ? '"$b"' : shQuote(str(a.dest));
  const script = `b=$(mktemp); h=$(mktemp); code=$(curl ${extra.join(' ')} -o ${dest} -D "$h" -w '%{http_code}' ${curlArgs(a, url).join(' ')}${body === undefined ? ' </dev/null' : ''}); rc=$?; echo "STATUS=$code RC=$rc"; grep -i '^content-type:' "$h" | tail -1; echo @@BODY; cat "$b"; rm -f "$b" "$h"`;
  const r = await ctx.exec(script, body);
  const m = /STATUS=(\d+) RC=(\d+)/.exec(r.stdout);
  const status = m ? Number(m[1]) : -1;
  const ctype = /content-type:\s*([^\r\n]*)/i.exec(r.stdout)?.[1]?.trim() ?? '';
  const content = r.stdout.slice(r.stdout.indexOf('@@BODY\n') + 7);
  const res: ModuleResult = { changed: false, status, url, redirected: false, content_type: ctype, msg: `OK (${Buffer.byteLength(content)} bytes)`, elapsed: 0, cookies: {} };
  if (bool(a.return_content)) res.content = content;
  if (/json/.test(ctype)) {
    try {
      res.json = JSON.parse(content);
    } catch {
      // not JSON after all
    }
  }
  if (m && Number(m[2]) !== 0 && status === 0) return { ...res, failed: true, status: -1, msg: `Status code was -1 and not ${JSON.stringify(expected)}: Request failed: ${r.stderr.trim()}` };
  if (!expected.includes(status)) return { ...res, failed: true, msg: `Status code was ${status} and not ${JSON.stringify(expected)}: HTTP Error ${status}` };
  return res;
};

export const getUrlModule: ModuleFn = async (ctx) => {
  const a = ctx.args;
  const url = str(a.url);
  let dest = str(a.dest);
  const force = bool(a.force);
  const checksum = a.checksum === undefined ? '' : str(a.checksum);
  const [alg, want] = checksum.includes(':') ? checksum.split(':') : ['', ''];
  const fname = basename(new URL(url).pathname) || 'index.html';
  const script = `p=${shQuote(dest)}; [ -d "$p" ] && p="$p/${fname.replace(/[^\w.-]/g, '_')}"; check=${ctx.check ? 1 : 0}; changed=0
if [ -e "$p" ] && [ ${force ? 1 : 0} = 0 ] && { [ -z ${shQuote(want)} ] || [ "$(${alg || 'sha256'}sum "$p" | cut -d' ' -f1)" = ${shQuote(want)} ]; }; then echo EXISTS; else
  t=$(mktemp); code=$(curl -sS -L -o "$t" -w '%{http_code}' ${curlArgs(a, url).join(' ')}) || { echo "Request failed: $code" >&2; rm -f "$t"; exit 2; }
  case "$code" in 2*) ;; *) echo "HTTP Error $code" >&2; rm -f "$t"; exit 3;; esac
  ${want ? `[ "$(${alg}sum "$t" | cut -d' ' -f1)" = ${shQuote(want)} ] || { echo "The checksum for $p did not match ${want}" >&2; rm -f "$t"; exit 4; }` : ''}
  if ! cmp -s "$t" "$p"; then changed=1; if [ $check = 0 ]; then mv -f "$t" "$p" && chmod "$(printf %o $(( 0666 & ~$(umask) )))" "$p"; fi; fi; rm -f "$t"; echo "STATUS=$code"
fi
[ -e "$p" ] && { ${attrsScript(attrsOf(a)).replace(/\n/g, '\n  ')}
}
echo "CHANGED=$changed DEST=$p"; ${STAT_LINE}; true`;
  const r = await ctx.exec(script);
  if (r.rc !== 0) return { failed: true, changed: false, url, dest, msg: r.stderr.trim() || `exit ${r.rc}` };
  dest = /DEST=(.*)$/m.exec(r.stdout)?.[1] ?? dest;
  const s = parseStatLine(r.stdout);
  const exists = r.stdout.includes('EXISTS');
  return { changed: /CHANGED=1/.test(r.stdout), url, dest, msg: exists ? 'file already exists' : 'OK', status_code: Number(/STATUS=(\d+)/.exec(r.stdout)?.[1] ?? 200), mode: s?.mode, owner: s?.owner, group: s?.group, size: s?.size, state: 'file' };
};

export const unarchiveModule: ModuleFn = async (ctx) => {
  const a = ctx.args;
  const src = str(a.src);
  const dest = str(a.dest);
  if (a.creates !== undefined) {
    const c = await ctx.exec(`[ -e ${shQuote(str(a.creates))} ]`);
    if (c.rc === 0) return { changed: false, skipped: true, msg: `skipped, since ${str(a.creates)} exists` };
  }
  const remote = bool(a.remote_src);
  const body = remote ? undefined : readFileSync(ctx.findFile('files', src));
  const zip = /\.zip$/i.test(src);
  const opts = Array.isArray(a.extra_opts) ? a.extra_opts.map((o) => shQuote(str(o))).join(' ') : '';
  const list = zip ? 'unzip -Z1 "$f"' : `tar -tf "$f" ${opts}`;
  const compare = zip ? 'false' : `tar -df "$f" -C "$d" ${opts} >/dev/null 2>&1`;
  const extract = zip ? 'unzip -o -q "$f" -d "$d"' : `tar -xf "$f" -C "$d" ${opts}`;
  const script = `d=${shQuote(dest)}; check=${ctx.check ? 1 : 0}; changed=0
[ -d "$d" ] || { ${remote ? '' : 'cat >/dev/null;'} echo "dest '$d' must be an existing dir" >&2; exit 2; }
${remote ? `f=${shQuote(src)}; [ -e "$f" ] || { echo "Source '$f' does not exist" >&2; exit 3; }` : 'f=$(mktemp) || exit 4; cat > "$f"'}
if ! ${compare}; then changed=1; [ $check = 1 ] || ${extract} || { ${remote ? '' : 'rm -f "$f";'} exit 5; }; fi
files=$(${list} 2>/dev/null | head -1000)
${remote ? '' : 'rm -f "$f"'}
p="$d"
${attrsScript(attrsOf(a))}
echo "CHANGED=$changed"; echo "$files"`;
  const r = await ctx.exec(script, body);
  if (r.rc !== 0) return { failed: true, changed: false, msg: r.stderr.trim() || `exit ${r.rc}`, dest, src };
  const files = r.stdout.split('\n').slice(1).filter(Boolean);
  const res: ModuleResult = { changed: /CHANGED=1/.test(r.stdout), dest, src, handler: zip ? 'ZipArchive' : 'TgzArchive' };
  if (bool(a.list_files)) res.files = files;
  return res;
};
