// Seeded generator of Dovecot configurations for property tests and the fuzz tier: real replication
// lines, sections, continuations, quotes, $variables, includes and `<file` values, joined by random
// line ends (LF, CRLF, a lone CR, CR CR LF), then mutated. The same seed gives the same inputs.

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = prng(seed);
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

export const LINE_ENDS = ['\n', '\r\n', '\r', '\r\r\n'] as const;

/** What a file read with `<file` holds: a marker no message may show. */
export const SECRET_MARKER = 'FILECONTENT-7f3a9c';

const LINES = [
  'mail_plugins = $mail_plugins notify replication',
  'mail_plugins = quota',
  'mail_plugins = "quota acl"',
  'mail_plugins = quota \\',
  '  acl',
  'mail_plugins = </etc/dovecot/plugins.txt',
  'protocols = imap lmtp',
  'mail_location = maildir:~/Maildir',
  'doveadm_port = 12345',
  'doveadm_password = secret-pw',
  'doveadm_password = </etc/dovecot/doveadm.pw',
  'replication_sync_timeout = </etc/dovecot/timeout.txt',
  'mail_replica = tcp:peer.example.com:12345',
  'mail_replica = </etc/dovecot/replica.txt',
  'mail_debug = yes # trailing comment',
  'protocols = imap#ambiguous',
  'ssl = required',
  'listen = *, ::',
  'unknown_setting = 1',
  'mail_uid = $undefined_var',
  'mail_gid = $ENV:GID',
  "x = 'single quoted'",
  'y = "unterminated',
  '= missing key',
  'plugin {',
  '  mail_replica = tcp:peer:12345',
  '}',
  'service doveadm {',
  '  inet_listener {',
  '    port = 12345',
  '  }',
  '}',
  'service aggregator {',
  '  fifo_listener replication-notify-fifo {',
  '    user = vmail',
  '  }',
  '}',
  'service replicator {',
  '  process_min_avail = 1',
  '}',
  'protocol imap {',
  '  mail_plugins = $mail_plugins imap_quota',
  '}',
  'namespace inbox {',
  '  inbox = yes',
  '}',
  '!include conf.d/*.conf',
  '!include_try /etc/dovecot/local.conf',
  '!include missing.conf',
  'service imap \\',
  '{',
  '}',
  'garbage after { x',
  '# a comment',
  '# dovecot-lint: ignore=unknown-setting',
  '',
  '   ',
  '\\',
];

const FRAGMENTS = [
  ' ',
  '\t',
  '\\',
  '"',
  "'",
  '#',
  '$',
  '$mail_plugins',
  '{',
  '}',
  '=',
  '<',
  '\r',
  '\n',
  '\r\n',
  'x',
  'é',
  '\u00a0',
  '%u',
];

export interface GeneratedTree {
  /** Absolute path -> text. */
  files: Record<string, string>;
  root: string;
}

export const GEN_ROOT = '/etc/dovecot/dovecot.conf';
const CONF_D = '/etc/dovecot/conf.d';
const VALUE_FILES = [
  '/etc/dovecot/plugins.txt',
  '/etc/dovecot/doveadm.pw',
  '/etc/dovecot/timeout.txt',
  '/etc/dovecot/replica.txt',
];

function joinLines(random: Random, lines: string[]): string {
  const fixedEnd = random.chance(0.5) ? random.pick(LINE_ENDS) : undefined;
  const text = lines
    .map(
      (line, index) =>
        line + (index < lines.length - 1 || random.chance(0.7) ? (fixedEnd ?? random.pick(LINE_ENDS)) : ''),
    )
    .join('');
  return text;
}

function deepNesting(random: Random): string[] {
  const depth = 1 + (random.chance(0.05) ? random.int(400) : random.int(40));
  const lines: string[] = [];
  for (let level = 0; level < depth; level++)
    lines.push(`${'  '.repeat(level)}${random.pick(['plugin', 'service imap', 'protocol imap', 'namespace n'])} {`);
  lines.push('mail_debug = yes');
  for (let level = depth - 1; level >= 0; level--) if (random.chance(0.95)) lines.push(`${'  '.repeat(level)}}`);
  return lines;
}

/** A file of random lines from the table, with occasional deep nesting. */
function generateFile(random: Random): string {
  const lines: string[] = [];
  const count = 1 + random.int(12);
  for (let index = 0; index < count; index++) {
    if (random.chance(0.03)) lines.push(...deepNesting(random));
    else lines.push(random.pick(LINES));
  }
  return joinLines(random, lines);
}

/** Inserts, deletes or replaces a few characters, often line ends, quotes or continuations. */
export function mutate(random: Random, text: string): string {
  let result = text;
  const edits = random.int(4);
  for (let index = 0; index < edits; index++) {
    const at = random.int(result.length + 1);
    switch (random.int(3)) {
      case 0:
        result = result.slice(0, at) + random.pick(FRAGMENTS) + result.slice(at);
        break;
      case 1:
        result = result.slice(0, at) + result.slice(at + 1 + random.int(3));
        break;
      default:
        result = result.slice(0, at) + random.pick(FRAGMENTS) + result.slice(at + 1);
    }
  }
  return result;
}

/** A root, sometimes conf.d files it includes, and the files its `<file` values read (holding the marker). */
export function generateTree(random: Random): GeneratedTree {
  const files: Record<string, string> = {};
  files[GEN_ROOT] = mutate(random, generateFile(random));
  const includes = random.chance(0.2) ? 1 + random.int(2) : 0;
  for (let index = 0; index < includes; index++)
    files[`${CONF_D}/${10 + index}-gen.conf`] = mutate(random, generateFile(random));
  for (const path of VALUE_FILES) {
    files[path] = random.pick([
      `${SECRET_MARKER} notify`,
      `${SECRET_MARKER}\n`,
      `tcp:${SECRET_MARKER}:1`,
      `line1\n${SECRET_MARKER}\n`,
    ]);
  }
  return { files, root: GEN_ROOT };
}
