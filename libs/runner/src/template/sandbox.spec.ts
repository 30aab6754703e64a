// The templater as an attacker writes templates: every known nunjucks escape is a TemplateError,
// values boxed as data are never templated, and file lookups stay in the playbook's folder.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostFiles } from '../confine/host-files';
import { FileRefusedError, TemplateError } from '../errors';
import { Templater } from './templater';
import { unsafe } from './unsafe';

const marker = join(mkdtempSync(join(tmpdir(), 'baton-sandbox-')), 'pwned');
const js = `global.process.mainModule.require('fs').writeFileSync('${marker}', 'x')`;

const t = new Templater();
const scope = t.scope({ users: [{ name: 'ann' }, { name: 'ben' }], cfg: { a: 1 }, text: 'abc' });

function rejects(expr: string): TemplateError {
  try {
    t.template(`{{ ${expr} }}`, scope);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    return error as TemplateError;
  }
  throw new Error(`${expr} was accepted`);
}

describe('templater sandbox', () => {
  it.each([
    `(['a'] | map(attribute='constructor.constructor') | first)("${js}")()`,
    `range.constructor("${js}")()`,
    `cycler.constructor("${js}")()`,
    `joiner.constructor("${js}")()`,
    `joiner().constructor("${js}")()`,
    `cycler('a').next.constructor("${js}")()`,
    `"".constructor.constructor("${js}")()`,
    `[].map.constructor("${js}")()`,
    `lookup.constructor("${js}")()`,
    `cfg.__proto__.constructor.constructor("${js}")()`,
    `cfg['__proto__']`,
    `cfg.constructor`,
    `users.constructor`,
    `text.toString()`,
    `constructor`,
    `users | selectattr('constructor.constructor') | list`,
    `users | sort(attribute='constructor.constructor') | first`,
    `users | sum(attribute='constructor.name')`,
    `users | join(',', attribute='constructor')`,
    `users | groupby('constructor.constructor')`,
    `users | items2dict(key_name='name', value_name='__proto__')`,
    `'a' | constructor`,
    `users | map('constructor') | list`,
    `'a' is constructor`,
  ])('refuses %s', (expr) => {
    rejects(expr);
  });

  it('refuses the escapes with a message that names what is not data', () => {
    expect(rejects(`"".constructor.constructor("${js}")()`).message).toMatch(/'constructor' of a string is not data/);
    expect(rejects(`range.constructor`).message).toMatch(/'constructor' of a function is not data/);
    expect(rejects(`(['a'] | map(attribute='constructor.constructor') | first)`).message).toMatch(/'constructor' of a (string|function) is not data/);
  });

  it('refuses loop and caller internals inside {% for %} and {% call %}', () => {
    expect(() => t.renderString(`{% for x in [1] %}{{ loop.constructor.constructor("${js}")() }}{% endfor %}`, scope)).toThrow(TemplateError);
    expect(() => t.renderString(`{% macro m() %}{{ caller.constructor("${js}")() }}{% endmacro %}{% call m() %}x{% endcall %}`, scope)).toThrow(TemplateError);
    expect(() => t.renderString(`{% set f = cfg.__proto__ %}{{ f }}`, scope)).toThrow(TemplateError);
  });

  it('reads no file through {% include %}', () => {
    expect(() => t.renderString(`{% include "/etc/passwd" %}`, scope)).toThrow(TemplateError);
  });

  it('ran none of the payloads', async () => {
    const { existsSync } = await import('node:fs');
    expect(existsSync(marker)).toBe(false);
  });

  it('keeps what playbooks use: own keys, items, Python methods, macros, cycler, joiner, range', () => {
    const s = t.scope({ d: { constructor: 'c', items: 5 }, l: [3, 1, 2], s: 'a,b' });
    expect(t.template('{{ d.constructor }}/{{ d["items"] }}/{{ l[-1] }}/{{ s.split(",") | join("-") }}', s)).toBe('c/5/2/a-b');
    expect(t.template('{{ {"k": 1}.items() | list }}', s)).toEqual([['k', 1]]);
    expect(t.renderString('{% macro m(x) %}<{{ x }}{{ caller() }}>{% endmacro %}{% call m(1) %}c{% endcall %}', s)).toBe('<1c>');
    expect(t.renderString('{% set c = cycler("a", "b") %}{{ c.next() }}{{ c.next() }}{{ c.next() }}{{ c.current }}', s)).toBe('abab');
    expect(t.renderString('{% set j = joiner("|") %}{% for x in l %}{{ j() }}{{ x }}{% endfor %}', s)).toBe('3|1|2');
    expect(t.template('{{ range(3) | list }}', s)).toEqual([0, 1, 2]);
    expect(t.condition("'k' in {'k': 1} and 'constructor' not in {'k': 1}", s)).toBe(true);
    expect(t.template("{{ [{'g': 'b', 'n': 1}, {'g': 'a', 'n': 2}, {'g': 'b', 'n': 3}] | groupby('g') | map('first') | list }}", s)).toEqual(['a', 'b']);
    const merged = t.template('{{ {"a": 1} | combine(p) }}', t.scope({ p: JSON.parse('{"__proto__": {"x": 1}}') as unknown })) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(['a', '__proto__']);
  });
});

describe('data (Ansible !unsafe)', () => {
  const payload = `{{ (['a'] | map(attribute='constructor.constructor') | first)("${js}")() }}`;
  const data = t.scope({
    os_users: unsafe([{ os_user_name: payload }]),
    name: unsafe('{{ 7 * 7 }}'),
    greeting: 'hello {{ name }}',
    double: '{{ os_users }}',
  });

  it('is never templated, at any depth, nor what is computed from it', () => {
    expect(t.template('{{ os_users[0].os_user_name }}', data)).toBe(payload);
    expect(t.template('{{ name }}', data)).toBe('{{ 7 * 7 }}');
    expect(t.template('{{ greeting }}', data)).toBe('hello {{ 7 * 7 }}');
    expect(t.template('{{ double }}', data)).toEqual([{ os_user_name: payload }]);
    // A loop item is data again in its own scope (the task runner boxes it).
    const item = data.child({ item: unsafe((t.template('{{ os_users }}', data) as unknown[])[0]) });
    expect(t.template('{{ item.os_user_name }}', item)).toBe(payload);
  });

  it('is not evaluated as an expression through {{ }} in a condition', () => {
    const s = t.scope({ x: unsafe('1 == 1 or range.constructor'), y: 'a' });
    expect(() => t.condition('{{ x }} and true', s)).toThrow(/puts \{\{ \}\} around data/);
    expect(t.condition('x == "1 == 1 or range.constructor"', s)).toBe(true);
    expect(t.condition('{{ y }} is defined', t.scope({ y: 'cfg', cfg: 1 }))).toBe(true);
  });
});

describe('lookups', () => {
  const root = mkdtempSync(join(tmpdir(), 'baton-lookups-'));
  mkdirSync(join(root, 'files'));
  writeFileSync(join(root, 'files', 'motd'), 'hello\n');
  writeFileSync(join(root, 'files', 'a.conf'), 'a');
  writeFileSync(join(root, 'files', 'b.conf'), 'b');
  symlinkSync('/etc/hostname', join(root, 'files', 'leak'));
  const confined = new Templater({ files: new HostFiles([root]) });
  const s = confined.scope({ playbook_dir: root });

  it('read files of the playbook folder', () => {
    expect(confined.template("{{ lookup('file', 'motd') }}", s)).toBe('hello');
    expect(confined.template("{{ query('fileglob', '*.conf') | map('basename') | list }}", s)).toEqual(['a.conf', 'b.conf']);
    expect(confined.template("{{ lookup('first_found', ['nope', 'motd']) | basename }}", s)).toBe('motd');
  });

  it.each([
    ["lookup('file', '/etc/passwd')", /absolute path outside/],
    ["lookup('file', '../../../../etc/passwd')", /'\.\.' is refused/],
    ["lookup('file', 'leak')", /symbolic link/],
    ["lookup('env', 'HOME')", /orchestrator's own environment/],
    ["lookup('template', '/etc/hosts')", /absolute path outside/],
    ["lookup('first_found', ['/etc/passwd'])", /absolute path outside/],
    ["lookup('pipe', 'id')", /'pipe' is not supported/],
  ])('refuse %s when confined', (expr, message) => {
    let caught: unknown;
    try {
      confined.template(`{{ ${expr} }}`, s);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught instanceof FileRefusedError || caught instanceof TemplateError).toBe(true);
    expect(String((caught as Error).message)).toMatch(message);
  });

  it('keep the operator\'s lookups when unconfined', () => {
    expect(t.template("{{ lookup('file', '/etc/hostname') | length > 0 }}", t.scope({}))).toBe(true);
  });
});
