// node:crypto costs a CLI run several milliseconds to load; only the few commands that write or
// generate something need it, so it is loaded on first use.
import type * as Crypto from 'node:crypto';

let crypto: typeof Crypto | undefined;

function randomBytes(count: number): Buffer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  crypto ??= require('node:crypto') as typeof Crypto;
  return crypto.randomBytes(count);
}

export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');
export const randomBase64url = (bytes: number): string => randomBytes(bytes).toString('base64url');
