// The service's own protections that an operator tunes (issue 8): where deployment callbacks may
// go, who may read a deployment, and how long a shutdown may take. Read with the rest in loadConfig.
import { isIP } from 'node:net';
import { READ_RULES, type CallbackConfig, type ReadRule } from './config.types';
import type { EnvReader } from './env-reader';

const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/**
 * BATON_CALLBACK_HOSTS (host names, `*.domain` or addresses a callback may name; unset = any) and
 * BATON_CALLBACK_PRIVATE_NETWORKS (CIDRs of loopback, private or link-local addresses a callback
 * may reach; unset = none).
 */
export function readCallbackConfig(r: EnvReader): CallbackConfig {
  const hosts = r.raw('BATON_CALLBACK_HOSTS') === undefined ? null : r.list('BATON_CALLBACK_HOSTS').map((h) => h.toLowerCase().replace(/^\[|\]$/g, ''));
  for (const h of hosts ?? []) {
    if (isIP(h) === 0 && !HOST_PATTERN.test(h)) {
      r.fail('BATON_CALLBACK_HOSTS', 'comma-separated host names (hooks.example.org), *.domain patterns or IP addresses', `${JSON.stringify(h)} is none of these`);
    }
  }
  const privateNetworks = r.list('BATON_CALLBACK_PRIVATE_NETWORKS');
  for (const cidr of privateNetworks) {
    const reason = cidrProblem(cidr);
    if (reason) r.fail('BATON_CALLBACK_PRIVATE_NETWORKS', 'comma-separated CIDRs, e.g. 10.0.0.0/8,fd00::/8 (an address alone is a /32 or /128)', reason);
  }
  return { hosts, privateNetworks };
}

/** Why `cidr` is not `address[/prefix]`, or undefined when it is. */
function cidrProblem(cidr: string): string | undefined {
  const [address, prefix, ...rest] = cidr.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length) return `${JSON.stringify(cidr)} is not an address or address/prefix`;
  if (prefix === undefined) return undefined;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) return `${JSON.stringify(cidr)}: prefix ${prefix} is out of range`;
  return undefined;
}

/** BATON_READ_RULE: `issuer` (the reference's: any user of the deployment's issuer) or `owner`. */
export function readReadRule(r: EnvReader): ReadRule {
  return r.oneOf('BATON_READ_RULE', READ_RULES, 'issuer');
}

/**
 * BATON_SHUTDOWN_DEADLINE_MS: the whole shutdown's bound, at least the running jobs' grace
 * (BATON_SHUTDOWN_TIMEOUT_MS); default that grace plus 15 s for the store, queue and HTTP server.
 */
export function readShutdownDeadline(r: EnvReader, graceMs: number): number {
  const deadline = r.integer('BATON_SHUTDOWN_DEADLINE_MS', graceMs + 15_000, 1000, 3_700_000);
  if (r.raw('BATON_SHUTDOWN_DEADLINE_MS') !== undefined && deadline < graceMs) {
    r.fail('BATON_SHUTDOWN_DEADLINE_MS', `at least BATON_SHUTDOWN_TIMEOUT_MS (${graceMs})`, 'the deadline would cut the running jobs short of their grace');
  }
  return deadline;
}
