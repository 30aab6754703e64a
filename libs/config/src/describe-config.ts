// A one-line-per-setting summary for the start-up log. Secrets are never part of it: the secret
// key shows only where it came from, URLs lose their passwords, the client secret only "set".
import type { BatonConfig, ListenAddress } from './config.types';

export function describeConfig(config: BatonConfig): Record<string, string> {
  const oidc = config.oidc;
  return {
    listen: address(config.listen),
    database: config.databaseUrl ? maskUrl(config.databaseUrl) : `embedded PGlite (${config.dataDir})`,
    jobs: config.redisUrl ? `BullMQ on ${maskUrl(config.redisUrl)}` : 'in-process runner',
    providers: config.providersFile ?? 'built-in simulated cloud',
    templates: config.templatesDir ?? 'bundled templates/',
    auth: oidc
      ? `OIDC issuers ${oidc.issuers.join(', ')}; audience ${oidc.audience ?? '(not checked)'}; ` +
        `admin groups ${oidc.adminGroups.map((g) => (g.issuer ? `${g.issuer}|${g.group}` : g.group)).join(', ') || '(none)'}; ` +
        `client ${oidc.clientId ?? '(none)'}${oidc.clientSecret ? ' with secret' : ''}`
      : 'OFF (one local user, loopback only)',
    secretKey: `from ${config.secretKeySource}`,
    workerMetrics: config.metricsListen ? `${address(config.metricsListen)}/metrics` : '(off)',
    workerConcurrency: String(config.workerConcurrency),
    limits: Object.entries(config.limits)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
    logLevel: config.logLevel,
    publicUrl: config.publicUrl ?? '(from each request)',
    dashboard: `${address(config.dashboardListen)} → ${config.dashboardApiUrl}`,
  };
}

function address(a: ListenAddress): string {
  return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}

function maskUrl(href: string): string {
  return href.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1****@');
}
