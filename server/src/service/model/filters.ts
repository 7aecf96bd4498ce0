import { isIP } from './ipAddress';
import type { FilterKind, SectionNode } from '../syntax/nodes';

export interface FilterProblem {
  code: 'filter-nesting' | 'invalid-network-mask';
  message: string;
}

/** Which enclosing filter kinds forbid a new filter, in the order doveconf tests them (FACTS §1.4). */
const FORBIDDEN_PARENTS: Record<FilterKind, FilterKind[]> = {
  protocol: ['protocol'],
  local: ['protocol', 'remote', 'local_name'],
  local_name: ['protocol', 'remote'],
  remote: ['protocol'],
};

function nestingMessage(parent: FilterKind, child: FilterKind): string {
  if (parent === 'protocol' && child === 'protocol') return 'Nested protocol { protocol { .. } } block not allowed';
  return `${parent} { ${child} { .. } } not allowed (use ${child} { ${parent} { .. } } instead)`;
}

interface Network {
  family: 4 | 6;
  bits: number;
  address: bigint;
}

function addressBits(address: string, family: 4 | 6): bigint {
  if (family === 4) return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  const [head, tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group || '0', 16)), 0n);
}

type NetworkParse = { network?: Network; problem?: FilterProblem };

/** Parses `ADDR[/bits]`; a hostname is resolved by Dovecot at parse time, which a linter does not do. */
export function parseNetwork(value: string): NetworkParse {
  const unbracketed = value.replace(/^\[(.*)\](\/.*)?$/, '$1$2');
  const slash = unbracketed.indexOf('/');
  const address = slash < 0 ? unbracketed : unbracketed.slice(0, slash);
  // No address at all is looked up as a host name too, and no name resolves (glibc's resolver says so).
  if (address === '')
    return {
      problem: {
        code: 'invalid-network-mask',
        message: 'gethostbyname() failed: Name or service not known (the block names no address or host)',
      },
    };
  const shorthand = family4Shorthand(address);
  const family = shorthand === undefined ? isIP(address) : 4;
  if (family === 0) return {};
  const maxBits = family === 4 ? 32 : 128;
  let bits = maxBits;
  if (slash >= 0) {
    const maskText = unbracketed.slice(slash + 1);
    bits = /^\d+$/.test(maskText) ? Number(maskText) : NaN;
    if (!(bits <= maxBits))
      return { problem: { code: 'invalid-network-mask', message: `Invalid network mask: ${maskText}` } };
  }
  return { network: { family: family as 4 | 6, bits, address: shorthand ?? addressBits(address, family as 4 | 6) } };
}

const networkKeys = new Map<string, string>();

/**
 * A local/remote block's network as doveconf compares filters (config_filters_equal): its address and bits, so
 * `127.0.0.1` and `127.0.0.1/32` are one filter; a name that is no address stands for itself.
 */
export function networkKey(name: string): string {
  let key = networkKeys.get(name);
  if (key === undefined) {
    const network = parseNetwork(name).network;
    key = network ? `${network.family}/${network.address}/${network.bits}` : name;
    if (networkKeys.size < 10_000) networkKeys.set(name, key);
  }
  return key;
}

/**
 * An IPv4 address written with fewer than four decimal parts (`10.1`, `1.2.3`), the last filling the
 * remaining bytes: not an address to Dovecot's own parser, but the host name lookup reads it as one
 * without asking DNS (inet_aton's forms). Octal and hex forms are left to be host names.
 */
function family4Shorthand(address: string): bigint | undefined {
  const parts = address.split('.');
  if (parts.length > 3 || !parts.every((part) => /^(0|[1-9]\d{0,9})$/.test(part))) return undefined;
  const last = BigInt(parts[parts.length - 1]);
  if (last >= 1n << BigInt(8 * (5 - parts.length)) || parts.slice(0, -1).some((part) => Number(part) > 255))
    return undefined;
  return parts.slice(0, -1).reduceRight((acc, part, index) => acc | (BigInt(part) << BigInt(8 * (3 - index))), last);
}

function contains(outer: Network, inner: Network): boolean {
  if (outer.family !== inner.family || inner.bits < outer.bits) return false;
  const width = outer.family === 4 ? 32n : 128n;
  const shift = width - BigInt(outer.bits);
  return outer.address >> shift === inner.address >> shift;
}

/**
 * Whether doveconf 2.3 takes a filter as a local or remote block: `local_name` always, a network only when its
 * mask is above 0 (`remote ::/0 {` matches everything and is not one).
 */
export function isNetFilter23(section: SectionNode): boolean {
  if (section.filter === 'local_name') return true;
  if (section.filter !== 'local' && section.filter !== 'remote') return false;
  return !isEveryAddress(section.name);
}

/** A `local`/`remote` network of 0 bits (`::/0`, `0.0.0.0/0`): doveconf's filter then matches every address. */
export function isEveryAddress(network: string): boolean {
  return /\/0+$/.test(network);
}

/** doveconf's checks for a filter section opened inside other filters (FACTS §1.4). */
export function checkFilterNesting(section: SectionNode, enclosing: SectionNode[]): FilterProblem | undefined {
  const kind = section.filter;
  if (!kind) return undefined;
  for (const parentKind of FORBIDDEN_PARENTS[kind]) {
    // A remote block around counts only with a mask above 0 (config_filter_add_new_filter@2.3.19).
    const forbids = (parent: SectionNode) =>
      parent.filter === parentKind && (parentKind !== 'remote' || isNetFilter23(parent));
    if (enclosing.some(forbids)) {
      return { code: 'filter-nesting', message: nestingMessage(parentKind, kind) };
    }
  }
  if (kind !== 'local' && kind !== 'remote') return undefined;
  const parsed = parseNetwork(section.name);
  if (parsed.problem || !parsed.network) return parsed.problem;
  const outer = [...enclosing].reverse().find((parent) => parent.filter === kind);
  const outerNetwork = outer ? parseNetwork(outer.name).network : undefined;
  if (outer && outerNetwork && !contains(outerNetwork, parsed.network)) {
    return {
      code: 'filter-nesting',
      // doveconf prints `net1`/`net2` literally; the real networks follow in parentheses.
      message: `${kind} net1 { ${kind} net2 { .. } } requires net2 to be inside net1 (${section.name} is not inside ${outer.name})`,
    };
  }
  return undefined;
}
