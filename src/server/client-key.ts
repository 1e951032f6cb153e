// Who a client is, for rate limits and form tickets: its address as the server sees it (the
// rightmost hop that is not a trusted proxy, see app.ts), widened to the network a single
// subscriber controls. An IPv6 subscriber usually gets a whole /64 (often a /56 or /48) and can
// pick any address in it, so keying on the exact address would let one client rotate without end.
import ipaddr from 'ipaddr.js';

export const DEFAULT_IPV6_PREFIX = 64;

/**
 * Where Tor's `HiddenServiceExportCircuitID haproxy` puts the circuit of an onion connection: the
 * PROXY header's source is fc00:dead:beef:4dad::/64 with the circuit id in its low 32 bits. A
 * circuit is the closest thing to a client an onion service sees, so each is keyed whole.
 */
const TOR_CIRCUITS = ipaddr.parseCIDR('fc00:dead:beef:4dad::/64') as [ipaddr.IPv6, number];

/** The rate-limit key of `address`: an IPv4 address itself, an IPv6 address's /`ipv6Prefix`. */
export function clientKey(address: string, ipv6Prefix = DEFAULT_IPV6_PREFIX): string {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // process() turns IPv4-mapped IPv6 (::ffff:192.0.2.1) into the IPv4 address it stands for.
    parsed = ipaddr.process(address.replace(/%.*$/, ''));
  } catch {
    return address; // not an address (a Unix socket, a test): itself
  }
  if (parsed.kind() === 'ipv4') return parsed.toString();
  // A Tor circuit (PROXY protocol from an onion service): each address is one circuit.
  if (parsed.match(TOR_CIRCUITS)) return parsed.toNormalizedString();
  const bytes = parsed.toByteArray();
  for (let bit = ipv6Prefix; bit < 128; bit++) {
    const i = bit >> 3;
    bytes[i] = (bytes[i] as number) & ~(0x80 >> (bit & 7));
  }
  return `${ipaddr.fromByteArray(bytes).toString()}/${ipv6Prefix}`;
}

/** Whether `address` is the machine itself (127.0.0.0/8, ::1, or IPv4-mapped loopback). */
export function isLoopback(address: string): boolean {
  try {
    return ipaddr.process(address.replace(/%.*$/, '')).range() === 'loopback';
  } catch {
    return false;
  }
}

/** Headers a reverse proxy adds to say whom it forwards for (RFC 7239, and the de facto ones). */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

/**
 * Whether a request says it was forwarded by a proxy. Without TRUST_PROXY such a request from
 * loopback is a proxy that was not declared: every client behind it looks like the machine itself.
 */
export function carriesForwarding(headers: Readonly<Record<string, unknown>>): boolean {
  return FORWARDING_HEADERS.some((h) => headers[h] !== undefined);
}
