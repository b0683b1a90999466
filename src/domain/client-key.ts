import ipaddr from 'ipaddr.js';

/**
 * The client a per-client limit counts against: an IPv4 address as is (an IPv4-mapped IPv6 socket
 * address counts as its IPv4 address), an IPv6 address by its /64 network. One host, or one
 * subscriber, usually holds a whole /64, so walking through its addresses buys no fresh budget.
 */
export function clientKey(ip: string): string {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.parse(ip);
  } catch {
    return ip; // not an address (never the case for a socket's peer): counted by its text
  }
  if (address.kind() === 'ipv4') return address.toString();
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${new ipaddr.IPv6([...v6.parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}
