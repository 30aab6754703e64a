// Where a deployment's callback may be POSTed (issue 8, finding 7). The callback URL is the
// caller's: without limits it is a server-side POST to anything the worker reaches (the
// metadata service, PostgreSQL's neighbours, an admin port on loopback). So: http(s) only, the
// operator's host allow-list, and no loopback, private, link-local or reserved address unless a
// network of BATON_CALLBACK_PRIVATE_NETWORKS holds it. Names are resolved when the callback is
// sent, every address is checked, and the POST connects to the address that was checked (a
// second lookup could answer otherwise: DNS rebinding).
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Ranges that are not the public Internet (IANA special-purpose registries, RFC 6890). */
const NON_PUBLIC: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'a "this network" address'],
  ['10.0.0.0', 8, 'ipv4', 'a private address'],
  ['100.64.0.0', 10, 'ipv4', 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address'],
  ['172.16.0.0', 12, 'ipv4', 'a private address'],
  ['192.0.0.0', 24, 'ipv4', 'an IETF protocol address'],
  ['192.0.2.0', 24, 'ipv4', 'a documentation address'],
  ['192.168.0.0', 16, 'ipv4', 'a private address'],
  ['198.18.0.0', 15, 'ipv4', 'a benchmarking address'],
  ['198.51.100.0', 24, 'ipv4', 'a documentation address'],
  ['203.0.113.0', 24, 'ipv4', 'a documentation address'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved address'],
  ['::', 128, 'ipv6', 'the unspecified address'],
  ['::1', 128, 'ipv6', 'a loopback address'],
  ['64:ff9b::', 96, 'ipv6', 'a NAT64 address'],
  ['64:ff9b:1::', 48, 'ipv6', 'a NAT64 address'],
  ['100::', 64, 'ipv6', 'a discard-only address'],
  ['2001:db8::', 32, 'ipv6', 'a documentation address'],
  ['2002::', 16, 'ipv6', 'a 6to4 address'],
  ['fc00::', 7, 'ipv6', 'a unique local (private) address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['ff00::', 8, 'ipv6', 'a multicast address'],
];

/** Thrown when a callback URL may not be used; the message never holds the URL's credentials. */
export class CallbackRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallbackRefusedError';
  }
}

export interface CallbackPolicyOptions {
  /** Host names, `*.domain` patterns or addresses a callback may name; null = any host. */
  hosts: readonly string[] | null;
  /** CIDRs (or single addresses) of non-public ranges callbacks may reach. */
  privateNetworks: readonly string[];
}

/** A resolved, checked destination: connect to `address`, present `url`'s host name (Host, TLS SNI). */
export interface CheckedCallback {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type HostLookup = (host: string) => Promise<Array<{ address: string; family: number }>>;

const systemLookup: HostLookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * The URL with its user information masked (`http://****@host/...`): every log line and error
 * that names a callback uses this.
 */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username || url.password) {
      url.username = '****';
      url.password = '';
    }
    return url.href;
  } catch {
    return 'an invalid URL';
  }
}

export class CallbackPolicy {
  private readonly nonPublic = new BlockList();
  private readonly allowed = new BlockList();
  private readonly hosts: readonly string[] | null;

  constructor(options: CallbackPolicyOptions, private readonly lookup: HostLookup = systemLookup) {
    for (const [net, prefix, type] of NON_PUBLIC) this.nonPublic.addSubnet(net, prefix, type);
    for (const cidr of options.privateNetworks) {
      const [net, prefix] = cidr.split('/');
      const type = isIP(net) === 6 ? 'ipv6' : 'ipv4';
      this.allowed.addSubnet(net, prefix === undefined ? (type === 'ipv6' ? 128 : 32) : Number(prefix), type);
    }
    this.hosts = options.hosts;
  }

  /**
   * What can be told without DNS (at submission, for a clear 400): an http(s) URL, a host of the
   * allow-list, and no literal address or `localhost` name outside the allowed networks.
   */
  checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new CallbackRefusedError('callback must be an absolute http or https URL');
    }
    const where = `callback ${maskUrl(raw)}`;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CallbackRefusedError(`${where}: only http and https callbacks are sent`);
    const host = hostOf(url);
    if (this.hosts !== null && !this.hosts.some((pattern) => matches(pattern, host))) {
      throw new CallbackRefusedError(`${where}: ${host} is not a callback host of this service (BATON_CALLBACK_HOSTS)`);
    }
    if (isIP(host) !== 0) this.refuseAddress(where, host);
    else if (host === 'localhost' || host.endsWith('.localhost')) this.refuseAddress(where, '127.0.0.1', host);
    return url;
  }

  /** Resolves the host and checks every address it has; the POST must go to `address`. */
  async resolve(raw: string): Promise<CheckedCallback> {
    const url = this.checkUrl(raw);
    const host = hostOf(url);
    const where = `callback ${maskUrl(raw)}`;
    let addresses: Array<{ address: string; family: number }>;
    if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) }];
    else {
      try {
        addresses = await this.lookup(host);
      } catch (error) {
        throw new CallbackRefusedError(`${where}: ${host} does not resolve (${(error as { code?: string }).code ?? 'lookup failed'})`);
      }
      if (addresses.length === 0) throw new CallbackRefusedError(`${where}: ${host} has no address`);
    }
    // Every address, not only the first: a name with one public and one private address would
    // otherwise reach the private one whenever the resolver's order changes.
    for (const a of addresses) this.refuseAddress(where, a.address, host);
    return { url, address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
  }

  private refuseAddress(where: string, address: string, name?: string): void {
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (!this.nonPublic.check(address, type) || this.allowed.check(address, type)) return;
    const kind = NON_PUBLIC.find(([net, prefix, t]) => {
      const one = new BlockList();
      one.addSubnet(net, prefix, t);
      return one.check(address, type);
    })?.[3];
    const subject = name ? `${name} is ${address}, ${kind}` : `${address} is ${kind}`;
    throw new CallbackRefusedError(`${where}: ${subject}; callbacks reach only public addresses unless BATON_CALLBACK_PRIVATE_NETWORKS allows the range`);
  }
}

function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

function matches(pattern: string, host: string): boolean {
  return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern;
}
