// Keys and section types as one string each: a tree of 100k lines uses a few hundred keys, and every pass of
// the analysis looks settings up by key. With one string per key those lookups read a few strings that stay
// in the processor's cache, their hash made once, instead of a string per line spread over the heap.

/** More distinct keys than this (a generated or hostile file) are kept as read: the table stays small. */
const MAX_KEYS = 20_000;
const MAX_KEY_LENGTH = 100;

const keys = new Map<string, string>();

/** The one string for `key`; a key read for the first time is copied, so the table never holds a file's text. */
export function sharedKey(key: string): string {
  const known = keys.get(key);
  if (known !== undefined) return known;
  if (keys.size >= MAX_KEYS || key.length > MAX_KEY_LENGTH) return key;
  const own = copyOf(key);
  keys.set(own, own);
  return own;
}

/** How many keys the table holds. */
export function sharedKeyCount(): number {
  return keys.size;
}

/** A string with the same characters that does not point into the string it was cut from. */
function copyOf(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
