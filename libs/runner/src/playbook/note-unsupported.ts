// What libs/runner does not run, noticed while loading: in collect mode (listUnsupported) each is
// recorded with where it sits; otherwise only unsupported modules stop the load (load-playbook.ts)
// and the other constructs keep their documented behaviour (README "Not supported").
import { SUPPORTED_LOOKUPS, SUPPORTED_LOOPS } from '../modules/names';
import { isMapping } from '../template/python';
import type { LoadContext } from './load-playbook';

export function noteUnsupported(ctx: LoadContext, construct: string, task: string | undefined): void {
  const collect = ctx.session.collect;
  if (!collect) return;
  const entry = { construct, file: ctx.file, conditional: ctx.conditional === true, ...(task === undefined ? {} : { task }), ...(ctx.role ? { role: ctx.role.name } : {}) };
  const same = collect.find((u) => u.construct === entry.construct && u.file === entry.file && u.task === entry.task);
  if (!same) collect.push(entry);
  else if (!entry.conditional) same.conditional = false;
}

// Task keywords the runner parses but does not honour as Ansible does.
const KEYWORDS = ['async', 'delegate_facts', 'ignore_unreachable', 'throttle', 'any_errors_fatal', 'debugger'];

const LOOKUP_CALL = /\b(?:lookup|query|q)\(\s*['"]([\w.]+)['"]/g;

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (isMapping(v)) for (const [k, x] of Object.entries(v)) strings([k, x], out);
  return out;
}

/** Collect mode: keywords, loops and lookups of one task or block the runner does not implement. */
export function checkKeywords(raw: Record<string, unknown>, ctx: LoadContext, task: string): void {
  if (!ctx.session.collect) return;
  for (const k of KEYWORDS) if (raw[k] !== undefined && raw[k] !== null && raw[k] !== false && raw[k] !== 0) noteUnsupported(ctx, `keyword ${k}`, task);
  for (const k of Object.keys(raw)) if (k.startsWith('with_') && !SUPPORTED_LOOPS.has(k.slice(5))) noteUnsupported(ctx, `lookup ${k.slice(5)}`, task);
  for (const s of strings(Object.entries(raw).filter(([k]) => k !== 'block' && k !== 'rescue' && k !== 'always'))) {
    for (const m of s.matchAll(LOOKUP_CALL)) {
      const name = m[1].replace(/^ansible\.builtin\./, '');
      if (!SUPPORTED_LOOKUPS.has(name)) noteUnsupported(ctx, `lookup ${m[1]}`, task);
    }
  }
}
