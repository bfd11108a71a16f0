import { BlockList, isIPv4 } from 'node:net';

/** `movies`, `dev_*`, `*_prod`, `*`: a name, or a pattern with a leading or trailing `*`. */
export function indexAllowed(patterns: readonly string[], index: string): boolean {
  return patterns.some((pattern) => {
    if (pattern === '*' || pattern === index) return true;
    if (pattern.endsWith('*')) return index.startsWith(pattern.slice(0, -1));
    if (pattern.startsWith('*')) return index.endsWith(pattern.slice(1));
    return false;
  });
}

/**
 * Referer patterns as Algolia writes them: `https://shop.example.com/*` (against the whole
 * referer), `*.example.com` (no scheme: against its host); `*` stands for any characters. A
 * missing or unparsable referer matches nothing.
 */
export function refererAllowed(patterns: readonly string[], referer: string | undefined): boolean {
  if (!referer) return false;
  let host: string;
  try {
    host = new URL(referer).host;
  } catch {
    return false;
  }
  return patterns.some((pattern) => globOf(pattern).test(pattern.includes('://') ? referer : host));
}

function globOf(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** `restrictSources`: one IPv4 address or CIDR range; IPv4-mapped IPv6 addresses count as IPv4. */
export function sourceAllowed(range: string, ip: string | undefined): boolean {
  const address = ip?.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (!address || !isIPv4(address)) return false;
  const [network, bits = '32'] = range.split('/');
  const prefix = Number(bits);
  if (!isIPv4(network) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  const list = new BlockList();
  list.addSubnet(network, prefix, 'ipv4');
  return list.check(address, 'ipv4');
}
