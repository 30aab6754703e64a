// Neutron (network /v2.0) shapes, as far as the orchestrator reads them.

export interface Network {
  id: string;
  name: string;
  status: string;
  admin_state_up: boolean;
  shared: boolean;
  'router:external': boolean;
  subnets: string[];
  project_id: string;
  description?: string;
  tags?: string[];
  mtu?: number;
}

export interface Subnet {
  id: string;
  name: string;
  network_id: string;
  cidr: string;
  ip_version: 4 | 6;
  gateway_ip: string | null;
  enable_dhcp: boolean;
  allocation_pools: { start: string; end: string }[];
  dns_nameservers: string[];
  project_id: string;
  description?: string;
}

export interface Router {
  id: string;
  name: string;
  status: string;
  admin_state_up: boolean;
  external_gateway_info: { network_id: string; enable_snat?: boolean; external_fixed_ips?: { subnet_id: string; ip_address: string }[] } | null;
  project_id: string;
  description?: string;
}

export interface Port {
  id: string;
  name: string;
  network_id: string;
  device_id: string;
  device_owner: string;
  status: string;
  mac_address: string;
  fixed_ips: { subnet_id: string; ip_address: string }[];
  security_groups: string[];
  project_id: string;
  description?: string;
}

export interface SecurityGroupRule {
  id: string;
  security_group_id: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
}

export interface SecurityGroup {
  id: string;
  name: string;
  description: string;
  project_id: string;
  security_group_rules: SecurityGroupRule[];
}

export interface FloatingIp {
  id: string;
  floating_ip_address: string;
  floating_network_id: string;
  fixed_ip_address: string | null;
  port_id: string | null;
  router_id: string | null;
  status: string;
  project_id: string;
  description?: string;
}

export interface SubnetSpec {
  name: string;
  networkId: string;
  cidr: string;
  ipVersion?: 4 | 6;
  gatewayIp?: string | null;
  enableDhcp?: boolean;
  dnsNameservers?: string[];
}

export interface SecurityGroupRuleSpec {
  securityGroupId: string;
  direction: 'ingress' | 'egress';
  ethertype?: 'IPv4' | 'IPv6';
  protocol?: string;
  portRangeMin?: number;
  portRangeMax?: number;
  remoteIpPrefix?: string;
  remoteGroupId?: string;
}
