// YAML 1.2 core schema (YAML 1.2.2 §10.3) tag resolution for scalars, and the line table that
// turns source offsets into 1-based line/column positions. The event parser (js-yaml's
// parseEvents) hands us the decoded text of each scalar; we decide its type here, as npm
// `yaml` did with `schema: 'core'` (YAML 1.1 spellings such as `yes` stay strings; the
// yaml-1.1-booleans quirk deals with them where a boolean is expected).
import type { YValue } from './yaml-tree';

const NULL = /^(?:~|null|Null|NULL|)$/;
const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const INT10 = /^[-+]?[0-9]+$/;
const INT8 = /^0o[0-7]+$/;
const INT16 = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INF = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN = /^\.(?:nan|NaN|NAN)$/;

/** The value of a plain (unquoted, untagged) scalar under the core schema. */
export function resolvePlain(text: string): YValue {
  const c = text.charCodeAt(0);
  // Most scalars are words: one character test skips every regular expression for them.
  const maybeSpecial = text.length === 0 || c === 0x7e || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e || c === 0x6e || c === 0x4e || c === 0x74 || c === 0x54 || c === 0x66 || c === 0x46;
  if (!maybeSpecial) return text;
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text.charCodeAt(0) === 0x74 || text.charCodeAt(0) === 0x54;
  if (INT10.test(text)) return Number(text);
  if (INT8.test(text)) return parseInt(text.slice(2), 8);
  if (INT16.test(text)) return parseInt(text.slice(2), 16);
  if (FLOAT.test(text)) return Number(text);
  if (INF.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (NAN.test(text)) return NaN;
  return text;
}

/** A scalar with an explicit tag (`!!str 12`, `!!int "3"`); unknown tags keep the text. */
export function resolveTagged(tag: string, text: string, plain: boolean): YValue {
  switch (tag) {
    case '!!str':
    case 'tag:yaml.org,2002:str':
      return text;
    case '!!int':
    case '!!float':
    case '!!bool':
    case '!!null':
    case 'tag:yaml.org,2002:int':
    case 'tag:yaml.org,2002:float':
    case 'tag:yaml.org,2002:bool':
    case 'tag:yaml.org,2002:null':
      return resolvePlain(text);
    case '!':
      return text;
    default:
      return plain ? resolvePlain(text) : text;
  }
}

/** Offsets -> 1-based line and column, built on first use (most files never need a position). */
export class LineTable {
  private starts: number[] | undefined;

  constructor(private readonly text: string) {}

  linePos(offset: number): { line: number; col: number } {
    const starts = (this.starts ??= this.build());
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo] + 1 };
  }

  private build(): number[] {
    const starts = [0];
    const t = this.text;
    for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
}
