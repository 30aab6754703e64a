// YAML text as PyYAML's yaml.dump writes it, which is what Ansible's to_yaml and to_nice_yaml
// print: keys sorted, leaf collections in flow style unless `flowStyle` is false, sequences in a
// mapping not indented, plain scalars only where they would read back as the same string.
// Not covered: folding of long scalars at 80 columns, Python float formatting.
import { isMapping } from './python';

export interface DumpOptions {
  /** PyYAML's default_flow_style: undefined (None) = flow for collections without collections. */
  flowStyle?: boolean;
  indent?: number;
}

// PyYAML's implicit resolvers (YAML 1.1): a plain string matching one would read back as a
// bool, null, number or timestamp, so it must be quoted.
const IMPLICIT = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  /^(?:<<|=)$/,
];

/** A character YAML cannot show unescaped (C0 controls but tab and newline, and DEL). */
function hasControl(s: string, allowTabs: boolean): boolean {
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if ((c < 0x20 && c !== 0x0a && !(allowTabs && c === 0x09)) || c === 0x7f) return true;
  }
  return false;
}

function isCollection(v: unknown): boolean {
  return Array.isArray(v) || isMapping(v);
}

function plainAllowed(s: string, flow: boolean): boolean {
  if (s === '' || IMPLICIT.some((r) => r.test(s))) return false;
  if (/^[\s]|[\s]$/.test(s) || /[\n\r\t]/.test(s) || hasControl(s, false)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/^[-?:][^\s]/.test(s)) return false;
  if (/^[,[\]{}#&*!|>'"%@`]/.test(s)) return false;
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false;
  if (flow && /[,[\]{}]/.test(s)) return false;
  if (s.startsWith('---') || s.startsWith('...')) return false;
  return true;
}

function doubleQuoted(s: string): string {
  const esc: Record<string, string> = { '\0': '\\0', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\x1b': '\\e', '"': '\\"', '\\': '\\\\', '\x85': '\\N', '\xa0': '\\_', '\u2028': '\\L', '\u2029': '\\P' };
  return `"${[...s].map((c) => esc[c] ?? (c < ' ' || c === '\x7f' ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('')}"`;
}

function scalar(v: unknown, flow: boolean, indent: string): string {
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
  const s = String(v);
  if (plainAllowed(s, flow)) return s;
  // Single quotes unless a character needs an escape; a line break inside is written as an
  // empty line (YAML folding), as PyYAML does.
  if (hasControl(s, false) || (/^\s|\s$/.test(s.replace(/\n/g, 'x')) && s.includes('\n'))) return doubleQuoted(s);
  const body = s.replace(/'/g, "''").split('\n').join(`\n\n${indent}`);
  return `'${body}'`;
}

function keysOf(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort();
}

function flowText(v: unknown, indent: string): string {
  if (Array.isArray(v)) return `[${v.map((x) => flowText(x, indent)).join(', ')}]`;
  if (isMapping(v)) return `{${keysOf(v).map((k) => `${scalar(k, true, indent)}: ${flowText(v[k], indent)}`).join(', ')}}`;
  return scalar(v, true, indent);
}

class Emitter {
  constructor(
    private readonly flowStyle: boolean | undefined,
    private readonly step: number,
  ) {}

  private useFlow(v: unknown): boolean {
    if (Array.isArray(v) && v.length === 0) return true;
    if (isMapping(v) && Object.keys(v).length === 0) return true;
    if (this.flowStyle === true) return true;
    if (this.flowStyle === false) return false;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    return !children.some(isCollection);
  }

  /** Lines of a block node whose first line continues the parent's line at column `col`. */
  node(v: unknown, col: number): string[] {
    if (!isCollection(v) || this.useFlow(v)) return [isCollection(v) ? flowText(v, ' '.repeat(col)) : scalar(v, false, ' '.repeat(col))];
    const pad = ' '.repeat(col);
    const out: string[] = [];
    if (Array.isArray(v)) {
      const inner = col + this.step;
      v.forEach((item) => {
        const lines = this.node(item, inner);
        // A block collection starts on the dash's line, at the indentation its other lines have.
        const block = isCollection(item) && !this.useFlow(item);
        out.push(`${pad}-${block ? ' '.repeat(this.step - 1) : ' '}${lines[0].slice(block ? inner : 0)}`, ...lines.slice(1));
      });
      return out;
    }
    for (const k of keysOf(v as Record<string, unknown>)) {
      const value = (v as Record<string, unknown>)[k];
      const key = scalar(k, false, pad);
      if (isCollection(value) && !this.useFlow(value)) {
        out.push(`${pad}${key}:`);
        // A sequence inside a mapping is not indented (PyYAML's indentless sequences).
        out.push(...this.node(value, Array.isArray(value) ? col : col + this.step));
      } else {
        out.push(`${pad}${key}: ${this.node(value, col + this.step)[0]}`);
      }
    }
    return out;
  }
}

/** yaml.dump(value, default_flow_style=..., indent=...) as PyYAML writes it. */
export function pyYamlDump(value: unknown, options: DumpOptions = {}): string {
  const e = new Emitter(options.flowStyle, options.indent ?? 2);
  if (!isCollection(value)) return `${scalar(value, false, '')}\n...\n`;
  const lines = e.node(value, 0);
  return `${lines.join('\n')}\n`;
}
