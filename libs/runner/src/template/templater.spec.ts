import { describe, expect, it } from 'vitest';
import { TemplateError } from '../errors';
import { Templater } from './templater';

const t = new Templater();
const scope = t.scope({
  name: 'web',
  greeting: 'hello {{ name }}',
  later: '{{ defined_after }}-x',
  defined_after: 'late',
  ports: [80, 443, 80],
  users: [
    { name: 'ann', admin: true, uid: 3 },
    { name: 'ben', admin: false, uid: 1 },
  ],
  cfg: { a: 1 },
  empty: [],
  flag: 'yes',
  none: null,
  result: { rc: 0, failed: false, changed: true, stdout: 'a\nb' },
});
const render = (s: string) => t.template(s, scope);

describe('Templater', () => {
  // Jinja2 decodes string literals as Python does (`\d` stays, `\1` is chr(1)); Ansible first
  // doubles the backslashes of literals inside {{ }} in task arguments, so they read as written.
  it('reads backslashes in string literals as Ansible does', () => {
    expect(render(String.raw`{{ 'abc123' | regex_replace('^([a-z]+)(\d+)$', '\2-\1') }}`)).toBe('123-abc');
    expect(render(String.raw`{{ 'a\tb' }}`)).toBe(String.raw`a\tb`);
    expect(t.condition(String.raw`'a\tb\x41\101' == 'a	bAA'`, scope)).toBe(true);
    expect(t.renderFile(String.raw`{{ '\d\2' }}`, scope)).toBe('\\d\x02');
  });

  it('prints dict.items() as a list of tuples', () => {
    expect(render("x={{ {'k': 'v'}.items() | list }}")).toBe("x=[('k', 'v')]");
  });

  // As Ansible 2.14 (jinja2_native off): text, read back as a Python literal when it looks like a
  // dict, list or bool; a lone variable that is a bool, number or null is returned untouched.
  it('gives the types Ansible gives: text, literals read back, lone bool/number variables', () => {
    expect(render('{{ ports }}')).toEqual([80, 443, 80]);
    expect(render('{{ cfg }}')).toEqual({ a: 1 });
    expect(render('{{ 1 + 2 }}')).toBe('3');
    expect(render('{{ cfg.a }}')).toBe('1');
    expect(render('{{ none }}')).toBe(null);
    expect(render('{{ flag == "yes" }}\n')).toBe(true);
    expect(render('{{ name }}\n')).toBe('web\n');
    expect(render('[{{ cfg.a }}, "{{ name }}"]')).toEqual([1, 'web']);
    expect(render('[section]\nkey=1')).toBe('[section]\nkey=1');
    expect(render('ports: {{ ports }} {{ True }} [{{ none }}] {{ cfg }}')).toBe("ports: [80, 443, 80] True [] {'a': 1}");
  });

  it('templates variables lazily, whatever their order', () => {
    expect(render('{{ greeting }}')).toBe('hello web');
    expect(render('{{ later }}')).toBe('late-x');
  });

  it('fails on undefined variables and attributes, naming them', () => {
    expect(() => render('{{ nope }}')).toThrow(TemplateError);
    expect(() => render('{{ nope }}')).toThrow("'nope' is undefined");
    expect(() => render('x {{ cfg.b }}')).toThrow("'cfg.b' is undefined");
    expect(render('{{ nope | default("d") }}')).toBe('d');
    expect(render('{{ nope is defined }}')).toBe(false);
  });

  it('evaluates conditions with Python truthiness', () => {
    expect(t.condition('empty', scope)).toBe(false);
    expect(t.condition('ports', scope)).toBe(true);
    expect(t.condition('result.rc == 0 and result is succeeded', scope)).toBe(true);
    expect(t.condition(['result is changed', 'name == "web"'], scope)).toBe(true);
    expect(t.condition('{{ flag | bool }}', scope)).toBe(true);
    expect(t.condition('"b" in result.stdout_lines | default([])', scope)).toBe(false);
    expect(t.condition(true, scope)).toBe(true);
  });

  it('has the Ansible filters', () => {
    expect(render('{{ ports | unique | list }}')).toEqual([80, 443]);
    expect(render('{{ users | selectattr("admin") | map(attribute="name") | list }}')).toEqual(['ann']);
    expect(render('{{ users | sort(attribute="uid") | map(attribute="name") | join(",") }}')).toBe('ben,ann');
    expect(render('{{ cfg | dict2items }}')).toEqual([{ key: 'a', value: 1 }]);
    expect(render('{{ "x" | b64encode }}')).toBe('eA==');
    expect(render('{{ "/a/b.txt" | basename }}')).toBe('b.txt');
    expect(render('{{ {"a": [1]} | to_json }}')).toBe('{"a": [1]}');
    expect(render('{{ (\'{"k": 2}\' | from_json).k }}')).toBe('2');
    // PyYAML's dump: leaf collections in flow style, keys sorted, to_nice_yaml all block.
    expect(render('{{ {"a": 1} | to_yaml }}')).toBe('{a: 1}\n');
    expect(render('{{ {"b": {"x": [1, {"q": "it s"}]}, "a": "yes"} | to_yaml }}')).toBe("a: 'yes'\nb:\n  x:\n  - 1\n  - {q: it s}\n");
    expect(render('{{ {"b": {"x": [1, {"q": "it s"}]}, "a": [1]} | to_nice_yaml }}')).toBe('a:\n- 1\nb:\n    x:\n    - 1\n    -   q: it s\n');
    expect(render('{{ {"b": 1, "a": [2]} | to_nice_json }}')).toBe('{\n    "a": [\n        2\n    ],\n    "b": 1\n}');
    expect(render('{{ "42" | int + 1 }}')).toBe('43');
    expect(render('{{ {"a": 1} | to_nice_json }}\n')).toBe('{\n    "a": 1\n}\n');
    expect(render('{{ {"a": 1} | combine({"b": 2}) }}')).toEqual({ a: 1, b: 2 });
    expect(render('{{ [1, [2, [3]]] | flatten }}')).toEqual([1, 2, 3]);
    expect(render('{{ omit }}')).toMatch(/^__omit_place_holder__/);
  });

  it('has the Jinja2 tests, with several arguments', () => {
    expect(render('{{ "1.10" is version("1.9", ">") }}')).toBe(true);
    expect(render('{{ "abc" is match("a") }}')).toBe(true);
    expect(render('{{ "abc" is search("c$") }}')).toBe(true);
    expect(render('{{ none is none }}')).toBe(true);
  });

  it('calls Python string and dict methods', () => {
    expect(render('{{ "a,b".split(",") }}')).toEqual(['a', 'b']);
    expect(render('{{ "Web".startswith("W") }}')).toBe(true);
    expect(render('{{ cfg.items() | list }}')).toEqual([['a', 1]]);
    expect(render('{{ "  x ".strip() | upper }}')).toBe('X');
  });

  it('renders template files with trim_blocks, as the template module does', () => {
    const out = t.renderFile('{% for p in ports %}\nport {{ p }}\n{% endfor %}\n', scope);
    expect(out).toBe('port 80\nport 443\nport 80\n');
  });
});
