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
 * Referer patterns as Algolia writes them: `https://shop.example.com/*` (scheme and host, then
 * path), `*.example.com` (no scheme: the host alone). `*` stands for any characters, but never
 * crosses from the host into the path: `https://*.example.com/*` does not match
 * `https://evil.example.net/x.example.com/`. A missing or unparsable referer matches nothing.
 */
export function refererAllowed(patterns: readonly string[], referer: string | undefined): boolean {
  if (!referer) return false;
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return false;
  }
  const origin = `${url.protocol}//${url.host}`;
  const rest = `${url.pathname}${url.search}`;
  return patterns.some((pattern) => {
    const scheme = pattern.indexOf('://');
    if (scheme < 0) return globOf(pattern, '[^/]*').test(url.host);
    const pathStart = pattern.indexOf('/', scheme + 3);
    const [patternOrigin, patternPath] = pathStart < 0 ? [pattern, '/*'] : [pattern.slice(0, pathStart), pattern.slice(pathStart)];
    return globOf(patternOrigin, '[^/]*').test(origin) && globOf(patternPath, '.*').test(rest);
  });
}

function globOf(pattern: string, star: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(escapeRegExp).join(star)}$`, 'i');
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
