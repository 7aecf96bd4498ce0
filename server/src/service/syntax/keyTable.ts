// Keys and section types as one string each: a tree of 100k lines uses a few hundred keys, and every pass of
// the analysis looks settings up by key. With one string per key those lookups read a few strings that stay
// in the processor's cache, their hash made once, instead of a string per line spread over the heap. Short
// values met recently are shared too (without a table of their own): a tree repeats a few of them thousands
// of times.

/** More distinct keys than this (a generated or hostile file) are kept as read: the table stays small. */
const MAX_KEYS = 20_000;
const MAX_KEY_LENGTH = 100;

const keys = new Map<string, string>();

/** The one string for `key`; a key read for the first time is copied, so the table never holds a file's text. */
export function sharedKey(key: string): string {
  const known = keys.get(key);
  if (known !== undefined) return known;
  if (keys.size >= MAX_KEYS || key.length > MAX_KEY_LENGTH) return key;
  const own = internalized(copyOf(key));
  keys.set(own, own);
  return own;
}

/** Keys found by sharedKeyIn(), by a hash of their length and three of their characters; a slot keeps the last. */
const RECENT_SLOTS = 1024;
const recent: (string | undefined)[] = new Array<string | undefined>(RECENT_SLOTS).fill(undefined);

/**
 * The one string for the key written at `start`..`end` of `text`: a key met recently is found by comparing it
 * with the text, without cutting the key out of the text and hashing it.
 */
export function sharedKeyIn(text: string, start: number, end: number): string {
  const length = end - start;
  if (length === 0) return sharedKey('');
  const slot = slotOf(text, start, end);
  const known = keptIn(recent, slot, text, start, length);
  if (known !== undefined) return known;
  const cut = text.slice(start, end);
  const key = sharedKey(cut);
  // A key the table does not keep is the cut itself, which would hold on to the file's text.
  if (key !== cut) recent[slot] = key;
  return key;
}

/** A slot for the text at `start`..`end` (not empty), by a hash of its length and three of its characters. */
function slotOf(text: string, start: number, end: number): number {
  const length = end - start;
  const hash =
    length * 31 +
    text.charCodeAt(start) * 7 +
    text.charCodeAt(start + (length >> 1)) * 17 +
    text.charCodeAt(end - 1) * 131;
  return hash & (RECENT_SLOTS - 1);
}

/** The string `slots` keeps at `slot` when it has the `length` characters written at `start` of `text`. */
function keptIn(
  slots: readonly (string | undefined)[],
  slot: number,
  text: string,
  start: number,
  length: number,
): string | undefined {
  const known = slots[slot];
  return known !== undefined && known.length === length && text.startsWith(known, start) ? known : undefined;
}

/**
 * Values this short are shared: V8 copies a cut this short out of its text (a longer cut points into the text,
 * which a slot would then keep after the file is parsed again).
 */
const MAX_SHARED_VALUE_LENGTH = 12;
const recentValues: (string | undefined)[] = new Array<string | undefined>(RECENT_SLOTS).fill(undefined);

/**
 * The text at `start`..`end` as a string; a short value met recently (`yes`, `0600`, a user name) is the string
 * made for it then, so a tree holds one string for each, not one per line.
 */
export function sharedValueIn(text: string, start: number, end: number): string {
  const length = end - start;
  if (length === 0 || length > MAX_SHARED_VALUE_LENGTH) return text.slice(start, end);
  const slot = slotOf(text, start, end);
  const known = keptIn(recentValues, slot, text, start, length);
  if (known !== undefined) return known;
  const cut = text.slice(start, end);
  recentValues[slot] = cut;
  return cut;
}

/** How many keys the table holds. */
export function sharedKeyCount(): number {
  return keys.size;
}

/**
 * The engine's one string for these characters (as for a property name): two such strings are compared by
 * identity, where any other pair of equal length is compared character by character (the schema's lookups).
 */
export function internalized(text: string): string {
  return Object.keys({ [text]: true })[0] ?? text;
}

/** A string with the same characters that does not point into the string it was cut from. */
function copyOf(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
