// Modules that run on the controller or only read the host: debug, set_fact, assert, fail,
// pause, ping, setup, include_vars.
import { readYamlFile } from '../playbook/load-playbook';
import { isMapping } from '../template/python';
import { FACTS_COMMAND, factVars, parseFacts } from './facts';
import { str, type ModuleFn } from './types';

export const debugModule: ModuleFn = async (ctx) => {
  if (ctx.args.var !== undefined) {
    const name = str(ctx.args.var);
    let value: unknown;
    try {
      value = ctx.templater.evaluate(name, ctx.scope);
    } catch {
      value = undefined;
    }
    return { [name]: value === undefined ? 'VARIABLE IS NOT DEFINED!' : value, changed: false };
  }
  return { msg: ctx.args.msg ?? 'Hello world!', changed: false };
};

export const setFactModule: ModuleFn = async (ctx) => {
  const facts = { ...ctx.args };
  delete facts.cacheable;
  delete facts._raw_params;
  return { ansible_facts: facts, changed: false };
};

export const assertModule: ModuleFn = async (ctx) => {
  const that = Array.isArray(ctx.args.that) ? ctx.args.that : [ctx.args.that];
  for (const cond of that) {
    if (!ctx.templater.condition(cond, ctx.scope)) {
      const msg = ctx.args.fail_msg ?? ctx.args.msg ?? 'Assertion failed';
      return { failed: true, assertion: cond, evaluated_to: false, msg, changed: false };
    }
  }
  return { changed: false, msg: ctx.args.success_msg ?? 'All assertions passed' };
};

export const failModule: ModuleFn = async (ctx) => ({ failed: true, changed: false, msg: ctx.args.msg ?? 'Failed as requested from task' });

export const pauseModule: ModuleFn = async (ctx) => {
  const seconds = Number(ctx.args.seconds ?? 0) + Number(ctx.args.minutes ?? 0) * 60;
  const start = new Date();
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, seconds * 1000);
    ctx.signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
  return { changed: false, rc: 0, start: start.toISOString(), stop: new Date().toISOString(), delta: seconds, user_input: '', stdout: `Paused for ${seconds} seconds`, echo: true };
};

export const pingModule: ModuleFn = async (ctx) => {
  const r = await ctx.exec('true');
  if (r.rc !== 0) return { failed: true, msg: r.stderr || 'ping failed' };
  return { ping: str(ctx.args.data, 'pong'), changed: false };
};

export async function gatherFacts(exec: (cmd: string) => Promise<{ rc: number; stdout: string }>): Promise<Record<string, unknown>> {
  const r = await exec(FACTS_COMMAND);
  return parseFacts(r.stdout);
}

export const setupModule: ModuleFn = async (ctx) => {
  const facts = await gatherFacts((c) => ctx.exec(c));
  const vars = factVars(facts);
  delete vars.ansible_facts;
  return { ansible_facts: vars, changed: false };
};

export const includeVarsModule: ModuleFn = async (ctx) => {
  const file = str(ctx.args.file ?? ctx.args._raw_params);
  const path = ctx.findFile('vars', file);
  const data = readYamlFile(path);
  if (!isMapping(data)) return { failed: true, msg: `${file} must contain a mapping` };
  const facts = ctx.args.name ? { [str(ctx.args.name)]: data } : data;
  return { ansible_facts: facts, ansible_included_var_files: [path], changed: false };
};
