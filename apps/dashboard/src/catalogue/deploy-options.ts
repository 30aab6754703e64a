// The deploy form's "Advanced" tab (the request options of reference §1.3 and a description), and
// what the dashboard records in the template it sends: the API keeps no description and no
// inputs a page could show, so, as the INFN dashboard keeps them in its database, this one keeps
// them in the deployment's own template (`metadata`, strings as TOSCA wants), read back from
// GET /deployments/ID/template. Secrets are never recorded: only the names of the inputs set.
import { isSeq, parseDocument } from 'yaml';
import type { CreateOptions } from '../deployments.client';

export interface AdvancedOptions {
  options: Omit<CreateOptions, 'userGroup'>;
  description: string;
  /** The provider chosen (one of the providers file's), or null: automatic. */
  provider: string | null;
  /** As typed, to show again. */
  values: Record<string, string>;
  errors: Record<string, string[]>;
}

export const ADVANCED_FIELDS = ['description', 'timeoutMins', 'maxProvidersRetry', 'keepLastAttempt'] as const;

export function readAdvanced(body: Record<string, unknown>, providers: string[] = []): AdvancedOptions {
  const text = (k: string): string => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
  const provider = providers.includes(text('provider')) ? text('provider') : null;
  const out: AdvancedOptions = { options: {}, description: text('description').slice(0, 500), provider, values: {}, errors: {} };
  for (const k of ['description', 'timeoutMins', 'maxProvidersRetry', 'provider']) out.values[k] = text(k);
  for (const k of ['timeoutMins', 'maxProvidersRetry'] as const) {
    const v = text(k);
    if (v === '') continue;
    if (!/^\d{1,6}$/.test(v) || Number(v) < 1) out.errors[k] = ['Write a whole number of at least 1, or leave it empty.'];
    else out.options[k] = Number(v);
  }
  out.options.keepLastAttempt = body.keepLastAttempt !== undefined;
  out.values.keepLastAttempt = String(body.keepLastAttempt !== undefined);
  return out;
}

/** What the dashboard wrote into a deployment's template. */
export interface DashboardRecord {
  description?: string;
  /** The catalogue template's key. */
  template?: string;
  /** The inputs given, secrets as null. */
  inputs?: Record<string, unknown>;
}

const PREFIX = 'baton_dashboard_';

/**
 * The template as sent: the record in its metadata and, for a chosen provider, a placement policy
 * naming it (`cloud_id`, which the orchestrator's provider ranking reads), after its own policies.
 */
export function recordInTemplate(text: string, record: DashboardRecord, provider: string | null = null): string {
  const doc = parseDocument(text);
  if (provider) {
    const placement = doc.createNode({ [`${PREFIX}placement`]: { type: 'tosca.policies.Placement', properties: { cloud_id: provider } } });
    const policies = doc.getIn(['topology_template', 'policies']);
    if (isSeq(policies)) policies.add(placement);
    else doc.setIn(['topology_template', 'policies'], doc.createNode([placement]));
  }
  if (record.description) doc.setIn(['metadata', `${PREFIX}description`], record.description);
  if (record.template) doc.setIn(['metadata', `${PREFIX}template`], record.template);
  if (record.inputs) doc.setIn(['metadata', `${PREFIX}inputs`], JSON.stringify(record.inputs));
  return doc.toString();
}

export function readRecord(text: string): DashboardRecord & { templateName?: string } {
  try {
    const metadata = (parseDocument(text).toJS() as { metadata?: Record<string, unknown> } | null)?.metadata ?? {};
    const record: DashboardRecord & { templateName?: string } = {};
    const get = (k: string): string | undefined => (typeof metadata[k] === 'string' ? (metadata[k] as string) : undefined);
    const description = get(`${PREFIX}description`);
    const template = get(`${PREFIX}template`);
    const inputs = get(`${PREFIX}inputs`);
    const name = get('display_name') ?? get('template_name');
    if (description) record.description = description;
    if (template) record.template = template;
    if (name) record.templateName = name;
    if (inputs) {
      const parsed = JSON.parse(inputs) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) record.inputs = parsed as Record<string, unknown>;
    }
    return record;
  } catch {
    return {};
  }
}
