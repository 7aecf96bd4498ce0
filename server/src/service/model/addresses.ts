/** Listen addresses that bind every interface (`*` is IPv4's, `::` IPv6's): they name no particular host. */
const WILDCARD_ADDRESSES: ReadonlySet<string> = new Set(['*', '::', '[::]', '0.0.0.0']);

export function isWildcardAddress(address: string): boolean {
  return WILDCARD_ADDRESSES.has(address);
}

/** An address that names one host: neither a wildcard nor empty. */
export function isHostAddress(address: string): boolean {
  return address !== '' && !WILDCARD_ADDRESSES.has(address);
}
