import { describe, expect, it } from 'vitest';
import { Templater } from './templater';

const t = new Templater();
const scope = t.scope({ empty: [], none: {}, names: ['a', 'b'], pair: ['x', 'y'], rows: [{ bar: 1 }], zero: 0, wn: [] });
const render = (s: string) => t.template(s, scope);

describe('Jinja2 expression semantics on nunjucks', () => {
  it('uses Python truthiness in if, not, and, or and inline if', () => {
    expect(render('{% if empty %}T{% else %}F{% endif %}')).toBe('F');
    expect(render('{% if none %}T{% elif names %}N{% endif %}')).toBe('N');
    expect(render('{{ not empty }}')).toBe(true);
    expect(render("{{ empty or 'default' }}")).toBe('default');
    expect(render("{{ names and 'yes' }}")).toBe('yes');
    expect(render('{{ zero or 5 }}')).toBe('5'); // text, as 2.14's non-native templating gives
    expect(render("{{ 'y' if none else 'n' }}")).toBe('n');
    // The real slurm.conf case: an empty node list must not print a NodeName line.
    expect(render('{% if wn %}NodeName={{ wn | join(",") }}{% else %}NodeName=default{% endif %}')).toBe('NodeName=default');
  });

  it('reads integer attributes as item lookups', () => {
    expect(render('{{ pair.1 }}')).toBe('y');
    expect(render('{{ rows.0.bar }}')).toBe('1');
  });

  it('adds lists, compares by value, and refuses what Python refuses', () => {
    expect(render("{{ ['a','b'] + ['c'] }}")).toEqual(['a', 'b', 'c']);
    expect(render("{{ 'a' + 'b' }}")).toBe('ab');
    expect(render('{{ [1] == [1] and {"k": 1} == {"k": 1} }}')).toBe(true);
    expect(render("{{ 1 == '1' }}")).toBe(false);
    expect(render('{{ 1 < 2 < 3 }}')).toBe(true);
    expect(() => render("{{ names + 'x' }}")).toThrow(/can only concatenate list \(not "str"\) to list/);
  });
});
