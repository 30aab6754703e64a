// loadClientConfig(): what the command-line client (`baton deployments ...`) needs to reach an
// orchestrator. ORCHENT_URL and ORCHENT_TOKEN are read too, so a CI job written for orchent (the
// INDIGO orchestrator's client) works unchanged; the BATON_ names win when both are set.
import { EnvReader } from './env-reader';
import { ConfigError } from './errors';

export interface ClientConfig {
  /** The orchestrator's base URL, without a trailing slash (default http://127.0.0.1:8080). */
  url: string;
  /** The IAM access token sent as `Authorization: Bearer`; null = none (a service without auth). */
  token: string | null;
}

export function loadClientConfig(env: Readonly<Record<string, string | undefined>> = process.env): ClientConfig {
  const r = new EnvReader(env);
  const urlVariable = r.raw('BATON_URL') !== undefined ? 'BATON_URL' : 'ORCHENT_URL';
  const url = r.url(urlVariable, ['http', 'https'], 'the orchestrator URL, e.g. https://host/orchestrator');
  const token = r.raw('BATON_TOKEN') ?? r.raw('ORCHENT_TOKEN') ?? null;
  if (r.issues.length > 0) throw ConfigError.fromIssues(r.issues);
  return { url: (url?.href ?? 'http://127.0.0.1:8080').replace(/\/+$/, ''), token };
}
