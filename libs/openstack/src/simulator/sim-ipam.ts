// IPv4 address management for simulated subnets: pools, gateway, next free address.

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses an IPv4 CIDR; undefined when it is not one. */
export function parseCidr(cidr: string): { network: number; prefix: number; size: number } | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const prefix = Number(m[2]);
  if (prefix > 32 || m[1].split('.').some((p) => Number(p) > 255)) return undefined;
  const size = 2 ** (32 - prefix);
  const network = Math.floor(ipToInt(m[1]) / size) * size;
  return { network, prefix, size };
}

export function normaliseCidr(cidr: string): string | undefined {
  const parsed = parseCidr(cidr);
  return parsed ? `${intToIp(parsed.network)}/${parsed.prefix}` : undefined;
}

/** Neutron's defaults: gateway = first host, pool = the rest (minus broadcast). */
export function defaultsFor(cidr: string, gateway: string | null | undefined): { gatewayIp: string | null; pools: { start: string; end: string }[] } {
  const c = parseCidr(cidr)!;
  const first = c.network + 1;
  const last = c.network + c.size - 2;
  const gatewayIp = gateway === undefined ? intToIp(first) : gateway;
  const gw = gatewayIp ? ipToInt(gatewayIp) : -1;
  const pools: { start: string; end: string }[] = [];
  if (gw === first) pools.push({ start: intToIp(first + 1), end: intToIp(last) });
  else if (gw > first && gw <= last) {
    pools.push({ start: intToIp(first), end: intToIp(gw - 1) });
    if (gw < last) pools.push({ start: intToIp(gw + 1), end: intToIp(last) });
  } else pools.push({ start: intToIp(first), end: intToIp(last) });
  return { gatewayIp, pools };
}

export function inCidr(ip: string, cidr: string): boolean {
  const c = parseCidr(cidr);
  if (!c || !/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return false;
  const n = ipToInt(ip);
  return n >= c.network && n < c.network + c.size;
}

/** The lowest free address of the pools, or undefined when they are exhausted. */
export function nextFree(pools: { start: string; end: string }[], used: Set<string>): string | undefined {
  for (const pool of pools) {
    for (let n = ipToInt(pool.start), end = ipToInt(pool.end); n <= end; n++) {
      const ip = intToIp(n);
      if (!used.has(ip)) return ip;
    }
  }
  return undefined;
}
