import ipaddr from 'ipaddr.js';

export type IpFamily = 4 | 6;

/** The address family of a textual IP address, or undefined when it is not a plain IPv4/IPv6 address. */
export function ipFamily(value: string): IpFamily | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return 4;
  if (!value.includes('%') && ipaddr.IPv6.isValid(value)) return 6;
  return undefined;
}

/**
 * The reserved range an address falls in (private, loopback, link-local, CGNAT, ...), or
 * undefined for a public unicast address. Route 53's checkers cannot reach reserved ranges.
 */
export function reservedRange(value: string): string | undefined {
  const parsed = ipaddr.parse(value);
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  if (parsed.kind() === 'ipv6' && range === 'ipv4Mapped') {
    return reservedRange((parsed as ipaddr.IPv6).toIPv4Address().toString());
  }
  return range;
}

/** The canonical text of an address, so `2001:DB8::1` and `2001:db8:0::1` compare equal. */
export function canonicalIp(value: string): string {
  return ipaddr.parse(value).toString();
}
