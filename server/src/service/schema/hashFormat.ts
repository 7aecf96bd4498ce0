// Dovecot's hash methods and hash format strings (src/lib/hash-method.c, hash-format.c: the same in 2.3.19 and
// 2.4.4), read by mail_attachment_hash / mail_ext_attachment_hash and auth_policy_hash_mech.

/** hash_method_lookup(): the digest size in bits of each hash method. */
export const HASH_DIGEST_BITS: Readonly<Record<string, number>> = {
  md4: 128,
  md5: 128,
  sha1: 160,
  sha256: 256,
  sha384: 384,
  sha512: 512,
  'sha3-256': 256,
  'sha3-512': 512,
  size: 64,
};

/** hash_format_init(): each `%` starts `%{method}` or `%{method:bits}`, `B` or `X` before the `{` choosing the encoding. */
export function hashFormatError(format: string): string | undefined {
  for (let i = format.indexOf('%'); i >= 0; i = format.indexOf('%', i + 1)) {
    i++;
    if (format[i] === 'B' || format[i] === 'X') i++;
    if (format[i++] !== '{') return "No '{' after '%'";
    const end = format.indexOf('}', i);
    if (end < 0) return "Missing '}'";
    const colon = format.indexOf(':', i);
    const name = format.slice(i, colon >= 0 && colon < end ? colon : end);
    const digestBits = HASH_DIGEST_BITS[name];
    if (digestBits === undefined) return `Unknown hash method: ${name}`;
    if (colon >= 0 && colon < end) {
      const bitsText = format.slice(colon + 1, end);
      const bits = /^\d+$/.test(bitsText) ? Number(bitsText) : 0;
      if (bits === 0 || bits > digestBits) return `Invalid :bits number: ${bitsText}`;
      if (bits % 8 !== 0) return `Currently :bits must be divisible by 8: ${bitsText}`;
    }
    i = end;
  }
  return undefined;
}
