// Seeded generator of small configurations aimed at doveconf's parser and type checks, for the
// differential tier (doveconfDiff.ts): quoting and escapes, blanks and tabs, comments, continuations,
// sections with odd headers, includes and `<file` values, variables, and typed values spelled right and
// wrong, for settings taken from the schema of the version being generated (also in the wrong section).
import settings23 from '../../server/src/service/schema/settings-2.3.json';
import settings24 from '../../server/src/service/schema/settings-2.4.json';
import obsolete23 from '../../data/dovecot/obsolete-settings-2.3.json';
import type { Random } from '../helpers/configGen';

export type DiffVersion = '2.3' | '2.4';

export interface DiffInput {
  version: DiffVersion;
  /** Path relative to the directory doveconf runs in -> text; the root is `dovecot.conf`. */
  files: Record<string, string>;
}

export const DIFF_ROOT = 'dovecot.conf';

interface SchemaSetting {
  name: string;
  type: string;
  values?: string[];
  context?: string;
  structs?: string[];
}

const SETTINGS: Record<DiffVersion, SchemaSetting[]> = {
  '2.3': (settings23.settings as SchemaSetting[]).filter((s) => s.type !== 'section'),
  '2.4': (settings24.settings as SchemaSetting[]).filter((s) => s.type !== 'filter' && s.type !== 'filter_list'),
};

const BLANKS = ['', ' ', ' ', ' ', '  ', '\t', ' \t', '\t ', '   '];

function blank(random: Random, allowEmpty = true): string {
  const b = random.pick(BLANKS);
  return b === '' && !allowEmpty ? ' ' : b;
}

const VALUES: Record<string, string[]> = {
  bool: ['yes', 'no', 'YES', 'Yes', 'No', 'true', 'false', '1', '0', 'y', 'maybe', '', '"yes"', "'no'", 'yes no'],
  uint: [
    '0',
    '1',
    '10',
    '100',
    '4294967295',
    '4294967296',
    '-1',
    '10k',
    '0x10',
    '010',
    '1.5',
    '',
    ' 5',
    '5 ',
    'unlimited',
    '18446744073709551615',
    '18446744073709551616',
  ],
  uintmax: ['0', '10', 'unlimited', '-1', '18446744073709551615', 'x'],
  size: [
    '0',
    '10',
    '10k',
    '10K',
    '10 M',
    '1G',
    '1T',
    '5 kB',
    '10KB',
    '3b',
    '3 B',
    '16 E',
    '16E',
    '2P',
    'unlimited',
    '1.5M',
    '',
    '10x',
    '18446744073709551615',
    '17179869184G',
    ' 1M',
    '1 m',
    '10 KiB',
    '-1',
  ],
  time: [
    '0',
    '10',
    '10s',
    '10 secs',
    '5 min',
    '5 mins',
    '1h',
    '2 hours',
    '1d',
    '1 day',
    '1w',
    '3 weeks',
    '10ms',
    '100 msecs',
    '5 minutes',
    '5m',
    'infinite',
    '1y',
    '10 x',
    '',
    '1.5h',
    '-1',
    '4294967296',
    '30sec',
    '2 hour',
    '1 mon',
    '10 millisecs',
    '5M',
  ],
  time_msecs: ['0', '10', '10ms', '100 msecs', '1s', '1.5s', '2 mins', '5 milliseconds', '10 x', '', '-5'],
  port: ['0', '143', '993', '65535', '65536', '-1', 'imap', '', '14 3', '0143'],
  octal: ['0600', '600', '0777', '0o600', '0999', '8', '0x1ff', '', '01777', '0600x', '-0600'],
  string: [
    'x',
    'some value',
    '"quoted value"',
    "'single quoted'",
    '"a\\"b"',
    "'a\\'b'",
    '"a\\\\b"',
    '"a\\nb"',
    '"unterminated',
    "'unterminated",
    'a # comment',
    '"a # b"',
    "'a#b'",
    'a#b',
    '"x" y',
    'x "y"',
    '""',
    "''",
    'tab\there',
    '~/Maildir',
    '/var/mail/%u',
    'a=b',
    'a { b',
    'a } b',
    '\\',
    'x\\y',
    '"a"b"',
  ],
  string_vars: ['%u', '%{user}', '%d/%n', '%Lu', '%{nosuch}', '%', 'plain'],
  string_novars: ['x', '%u', '%{user}'],
  enum: [],
  strlist: ['a b', 'a=b', ''],
  boollist: ['quota acl', 'quota,acl', '', 'quota  acl', '"quota acl"', 'a\tb', 'quota !acl'],
  file: ['/etc/ssl/x.pem', '<value.txt', ''],
  alias: ['x'],
};

const VARIABLES: Record<DiffVersion, string[]> = {
  '2.3': [
    '$mail_plugins',
    '$nosuch',
    '$ENV:HOME',
    '$ENV:NOSUCH_VAR',
    '$protocols',
    '$mail_location',
    '$',
    '$$',
    '$mail_debug',
    '${mail_plugins}',
    '$first_valid_uid',
    '$ssl',
    '$listen',
    '$ENV:',
  ],
  '2.4': [
    '$SET:mail_plugins',
    '$SET:nosuch',
    '$ENV:HOME',
    '$ENV:NOSUCH_VAR',
    '$SET:protocols',
    '$SET:mail_driver',
    '$SET:',
    '$mail_plugins',
    '$SET:mail_debug',
    '$SET:service/imap/process_limit',
    '%{user}',
    '%{user | upper}',
    '%{nosuch}',
    '%{user |',
    '%{',
    '%{user | lower | nosuchfn}',
    '%{home}',
    "%{literal('x')}",
    "%{user | default('x')}",
    '%u',
    '%%',
    '%{env:HOME}',
    '%{process:pid}',
  ],
};

function typedValue(random: Random, version: DiffVersion, setting: SchemaSetting): string {
  const roll = random.next();
  if (roll < 0.08)
    return random.pick(VARIABLES[version]) + (random.chance(0.3) ? ` ${random.pick(['x', 'quota', '10'])}` : '');
  if (roll < 0.12) return `x${random.pick(['', ' ', '\t'])}${random.pick(VARIABLES[version])}`;
  if (roll < 0.16)
    return random.pick([
      '<value.txt',
      '<num.txt',
      '<empty.txt',
      '<missing.txt',
      '< value.txt',
      '"<value.txt"',
      '<sub/value.txt',
      '<',
    ]);
  if (roll < 0.24) return random.pick(VALUES.string);
  if (setting.type === 'enum' && setting.values && setting.values.length > 0) {
    const value = random.pick(setting.values);
    return random.pick([
      value,
      value,
      value,
      value.toUpperCase(),
      `${value} ${value}`,
      'nosuch',
      '',
      `"${value}"`,
      `${value}x`,
    ]);
  }
  const values = VALUES[setting.type] ?? VALUES.string;
  return values.length > 0 ? random.pick(values) : 'x';
}

/** A setting for a section whose settings are those of `where` (undefined: top level), sometimes one from elsewhere. */
function pickSetting(random: Random, version: DiffVersion, where: string | undefined): SchemaSetting {
  const all = SETTINGS[version];
  if (random.chance(0.05))
    return {
      name: random.pick([
        'nosuch_setting',
        'mail_locaton',
        'foo',
        'Mail_debug',
        'mail-debug',
        'x.y',
        'plugin',
        'service',
      ]),
      type: 'string',
    };
  if (random.chance(0.2)) return random.pick(all);
  const fits = all.filter((s) =>
    version === '2.3'
      ? (s.context ?? '') === (where ?? '')
      : where === undefined
        ? true
        : (s.structs ?? []).some(
            (struct) => struct === where || struct.startsWith(`${where}_`) || where.startsWith(struct),
          ),
  );
  return random.pick(fits.length > 0 ? fits : all);
}

function obsoleteLine(random: Random): string | undefined {
  const rows = (obsolete23 as { rows: { example?: string[] }[] }).rows.filter(
    (row) => row.example && row.example.length > 0,
  );
  const row = random.pick(rows);
  return row.example ? random.pick(row.example) : undefined;
}

interface Frame {
  /** The section's settings context (2.3 `service/inet_listener`, 2.4 struct name), undefined at top level. */
  where: string | undefined;
  depth: number;
  /** Section kinds usually written inside this one. */
  inner?: string[];
}

interface SectionKind {
  header: string[];
  where: string | undefined;
  /** Kinds usually written inside (keys of the same table). */
  inner?: string[];
}

const SECTIONS: Record<DiffVersion, Record<string, SectionKind>> = {
  '2.3': {
    protocol: {
      header: [
        'protocol imap',
        'protocol pop3',
        'protocol lmtp',
        'protocol !imap',
        'protocol sieve',
        'protocol nosuch',
        'protocol "imap"',
        'protocol imap pop3',
        'protocol',
        'protocol lda',
      ],
      where: undefined,
      inner: ['local', 'remote', 'plugin', 'namespace', 'service'],
    },
    local: {
      header: [
        'local 127.0.0.1',
        'local 10.0.0.0/8',
        'local ::1',
        'local 10.0.0.0/33',
        'local 1.2.3',
        'local',
        'local_name mail.example.com',
        'local_name "*.example.com"',
        'local 0.0.0.0/0',
      ],
      where: undefined,
      inner: ['protocol', 'remote'],
    },
    remote: {
      header: ['remote 192.168.0.0/16', 'remote 127.0.0.1', 'remote ::/0', 'remote x', 'remote'],
      where: undefined,
      inner: ['protocol', 'local'],
    },
    service: {
      header: [
        'service imap',
        'service imap-login',
        'service auth',
        'service lmtp',
        'service nosuch',
        'service',
        'service "imap"',
        'service doveadm',
      ],
      where: 'service',
      inner: ['inet_listener', 'unix_listener', 'fifo_listener'],
    },
    inet_listener: {
      header: ['inet_listener imap', 'inet_listener imaps', 'inet_listener', 'inet_listener x'],
      where: 'service/inet_listener',
    },
    unix_listener: {
      header: ['unix_listener auth-userdb', 'unix_listener x', 'unix_listener "a b"', 'unix_listener'],
      where: 'service/unix_listener',
    },
    fifo_listener: { header: ['fifo_listener x'], where: 'service/fifo_listener' },
    namespace: {
      header: ['namespace inbox', 'namespace', 'namespace "a b"', 'namespace x'],
      where: 'namespace',
      inner: ['mailbox'],
    },
    mailbox: {
      header: ['mailbox Sent', 'mailbox "Sent Messages"', 'mailbox', "mailbox 'Trash'"],
      where: 'namespace/mailbox',
    },
    passdb: { header: ['passdb', 'passdb x', 'passdb "x y"'], where: 'passdb' },
    userdb: { header: ['userdb', 'userdb x'], where: 'userdb' },
    plugin: { header: ['plugin'], where: 'plugin' },
    metric: { header: ['metric m', 'metric'], where: 'metric' },
    event_exporter: { header: ['event_exporter log'], where: 'event_exporter' },
    dict: { header: ['dict'], where: 'dict' },
    unknown: { header: ['nosuch x', 'nosuch', 'mail_debug', 'mail_plugins'], where: undefined },
  },
  '2.4': {
    protocol: {
      header: [
        'protocol imap',
        'protocol pop3',
        'protocol lmtp',
        'protocol !imap',
        'protocol nosuch',
        'protocol "imap"',
        'protocol',
      ],
      where: undefined,
      inner: ['local', 'remote', 'namespace', 'service', 'passdb', 'filter'],
    },
    local: {
      header: [
        'local 127.0.0.1',
        'local 10.0.0.0/8',
        'local ::1',
        'local 10.0.0.0/33',
        'local',
        'local_name mail.example.com',
        'local 1.2.3',
      ],
      where: undefined,
      inner: ['protocol', 'remote'],
    },
    remote: {
      header: ['remote 192.168.0.0/16', 'remote 127.0.0.1', 'remote x', 'remote'],
      where: undefined,
      inner: ['protocol', 'local'],
    },
    service: {
      header: ['service imap', 'service imap-login', 'service auth', 'service nosuch', 'service', 'service "imap"'],
      where: 'service',
      inner: ['inet_listener', 'unix_listener'],
    },
    inet_listener: {
      header: ['inet_listener imap', 'inet_listener imaps', 'inet_listener', 'inet_listener x'],
      where: 'inet_listener',
    },
    unix_listener: {
      header: ['unix_listener auth-userdb', 'unix_listener x', 'unix_listener'],
      where: 'unix_listener',
    },
    namespace: {
      header: ['namespace inbox', 'namespace', 'namespace "a b"', 'namespace x'],
      where: 'mail_namespace',
      inner: ['mailbox'],
    },
    mailbox: { header: ['mailbox Sent', 'mailbox "Sent Messages"', 'mailbox'], where: 'mailbox' },
    passdb: { header: ['passdb x', 'passdb', 'passdb "x y"'], where: 'auth_passdb', inner: ['filter'] },
    userdb: { header: ['userdb x', 'userdb'], where: 'auth_userdb' },
    mail_plugins: { header: ['mail_plugins', 'auth_mechanisms'], where: 'boollist' },
    filter: {
      header: ['ssl_server', 'imapc', 'passdb_static', 'mdbox', 'sdbox', 'fts_solr', 'ssl_client', 'nosuch_filter'],
      where: undefined,
    },
    unknown: { header: ['nosuch x', 'nosuch', 'mail_debug'], where: undefined },
  },
};

/** Block kinds both versions have at the top level, in the order the generator picks from. */
const COMMON_TOP_KINDS = ['protocol', 'local', 'remote', 'service', 'namespace', 'passdb', 'userdb'];

const TOP_KINDS: Record<DiffVersion, string[]> = {
  '2.3': [...COMMON_TOP_KINDS, 'plugin', 'metric', 'event_exporter', 'dict', 'unknown'],
  '2.4': [...COMMON_TOP_KINDS, 'mail_plugins', 'filter', 'unknown'],
};

class FileBuilder {
  readonly lines: string[] = [];

  constructor(
    private readonly random: Random,
    private readonly version: DiffVersion,
    private readonly input: DiffInput,
  ) {}

  private indent(frame: Frame): string {
    return this.random.chance(0.1) ? blank(this.random) : '  '.repeat(frame.depth);
  }

  private comment(): string {
    return this.random.pick([' # c', '# c', '\t# c', ' #', ' # "quoted', "  # it's"]);
  }

  settingLine(frame: Frame): string {
    const random = this.random;
    if (frame.where === 'plugin' && random.chance(0.6)) {
      const key = random.pick(['quota', 'quota_rule', 'mail_replica', 'sieve', 'zlib_save', 'acl', 'x']);
      return `${key}${blank(random)}=${blank(random)}${random.pick(VALUES.string)}`;
    }
    if (frame.where === 'boollist') {
      return `${random.pick(['quota', 'acl', 'zlib', 'x', 'plain', 'login'])}${blank(random)}=${blank(random)}${random.pick(VALUES.bool)}`;
    }
    const setting = pickSetting(random, this.version, frame.where);
    let value = typedValue(random, this.version, setting);
    if (value.startsWith('<') && random.chance(0.5)) this.ensureValueFile(value);
    const before = random.chance(0.1) ? random.pick(['\t', '  ', ' \t']) : random.chance(0.08) ? '' : ' ';
    const after = random.chance(0.1) ? random.pick(['\t', '  ', '\t ']) : random.chance(0.08) ? '' : ' ';
    if (random.chance(0.08)) value += random.pick([' ', '\t', '  ']);
    const tail = random.chance(0.1) ? this.comment() : '';
    return `${setting.name}${before}=${after}${value}${tail}`;
  }

  private ensureValueFile(value: string): void {
    const name = value.replace(/^"?<\s*/, '').replace(/"$/, '');
    if (name === '' || name === 'missing.txt' || this.input.files[name] !== undefined) return;
    this.input.files[name] = this.random.pick([
      'x\n',
      'yes\n',
      '10\n',
      '10M\n',
      '',
      'a b\n',
      'line1\nline2\n',
      '"q"\n',
      'x',
    ]);
  }

  private oddLine(frame: Frame): string {
    const random = this.random;
    switch (random.int(14)) {
      case 0:
        return '}';
      case 1:
        return '{';
      case 2:
        return random.pick([
          'mail_debug',
          'mail_debug yes',
          'mail_debug =',
          'mail_debug==yes',
          '= yes',
          ' = ',
          'mail debug = yes',
        ]);
      case 3:
        return `${random.pick(['mail_debug', 'x', 'protocol imap'])} = yes {`;
      case 4:
        return random.pick(['# comment', '#', '  # indented comment', '\t#', '# a "quote', "# it's"]);
      case 5:
        return '';
      case 6:
        return random.pick(['   ', '\t', ' \t ']);
      case 7:
        return `"quoted_key" = x`;
      case 8:
        return random.pick([
          'mail_debug = yes }',
          'mail_debug = "yes" x',
          "mail_debug = 'yes'x",
          'mail_debug = "ye\\s"',
          'mail_debug = "yes\\"',
        ]);
      case 9:
        return this.includeLine();
      case 10:
        return random.pick(['!include', '!include_try', '!nosuch x', '!INCLUDE x', '! include x']);
      case 11:
        return this.version === '2.3'
          ? (obsoleteLine(random) ?? 'x = y')
          : random.pick([
              'mail_location = maildir:~/Maildir',
              'auth_username_format = %Lu',
              'ssl_cert = </etc/ssl/x.pem',
              'disable_plaintext_auth = no',
              'mail_plugins = $mail_plugins quota',
            ]);
      case 12:
        return `${this.indent(frame)}${random.pick(['protocols', 'mail_plugins', 'login_greeting'])} = ${random.pick(VARIABLES[this.version])}${random.pick([' ', '\t', '  '])}${random.pick(['x', VARIABLES[this.version][0], '"q r"'])}`;
      default:
        return `${random.pick(['x', 'login_greeting'])}${random.pick(['', ' ', '\t'])}=${random.pick(['', ' ', '\t'])}${random.pick(['\\', '"\\', "'\\'", '"#"', '#x', '"a\tb"', "'a\\\"b'", '"\\\\"'])}`;
    }
  }

  private includeLine(): string {
    const random = this.random;
    const keyword = random.pick(['!include', '!include_try', '!include_try', '!include']);
    const target = random.pick([
      'conf.d/*.conf',
      'conf.d/10-*.conf',
      'sub.conf',
      'missing.conf',
      'nodir/*.conf',
      '"sub.conf"',
      'conf.d/?0-a.conf',
      "'sub.conf'",
      'conf.d/',
      'sub.conf x',
    ]);
    if (target.includes('sub.conf') && this.input.files['sub.conf'] === undefined) this.input.files['sub.conf'] = '';
    if (target.startsWith('conf.d/') && this.input.files['conf.d/10-a.conf'] === undefined) {
      this.input.files['conf.d/10-a.conf'] = '';
      if (random.chance(0.5)) this.input.files['conf.d/20-b.conf'] = '';
    }
    return `${keyword}${random.pick([' ', '\t', '  '])}${target}`;
  }

  private sectionHeader(kind: SectionKind): string {
    const random = this.random;
    const name = random.pick(kind.header);
    const open = random.pick([
      ' {',
      ' {',
      ' {',
      '{',
      '\t{',
      ' { ',
      ' { # c',
      ' { x',
      ' {}',
      ' { mail_debug = yes',
      ' ',
      '',
    ]);
    return `${name}${open}`;
  }

  body(frame: Frame, count: number): void {
    const random = this.random;
    for (let index = 0; index < count && this.lines.length < 30; index++) {
      const roll = random.next();
      if (roll < 0.55) this.pushContinued(this.indent(frame) + this.settingLine(frame));
      else if (roll < 0.72 && frame.depth < 3) this.section(frame);
      else this.lines.push(this.indent(frame) + this.oddLine(frame));
    }
  }

  /** A line, sometimes broken with `\` continuations (also before a blank or comment line, or at the end of the file). */
  private pushContinued(line: string): void {
    const random = this.random;
    if (!random.chance(0.1)) {
      this.lines.push(line);
      return;
    }
    const at = line.search(/=\s*\S/);
    if (at > 0 && random.chance(0.5)) {
      this.lines.push(`${line.slice(0, at + 1)}${random.pick([' \\', '\\', '\t\\', ' \\ '])}`);
      this.lines.push(`${random.pick(['', '  ', '\t'])}${line.slice(at + 1).trimStart()}`);
      return;
    }
    this.lines.push(`${line}${random.pick([' \\', '\\', '\t\\'])}`);
    this.lines.push(random.pick(['', '# comment', '  more', 'x', '\\', '}']));
  }

  private section(frame: Frame): void {
    const random = this.random;
    const allowed = frame.where === undefined && frame.depth === 0 ? TOP_KINDS[this.version] : this.innerKinds(frame);
    const kindName = random.pick(allowed);
    const kind = SECTIONS[this.version][kindName];
    this.lines.push(this.indent(frame) + this.sectionHeader(kind));
    this.body({ where: kind.where, depth: frame.depth + 1, inner: kind.inner }, random.int(4));
    if (!random.chance(0.05))
      this.lines.push(`${this.indent(frame)}}${random.chance(0.1) ? random.pick([' # c', ' x', '}', ' }']) : ''}`);
  }

  private innerKinds(frame: Frame): string[] {
    const inner = frame.inner ?? [];
    return inner.length > 0 && !this.random.chance(0.15) ? inner : Object.keys(SECTIONS[this.version]);
  }
}

function joinFile(random: Random, lines: string[]): string {
  const end = random.chance(0.05) ? '\r\n' : '\n';
  const text = lines.join(end);
  return random.chance(0.9) ? text + end : text;
}

const VERSION_LINES = [
  'dovecot_config_version = 2.4.4',
  'dovecot_config_version = 2.4.0',
  'dovecot_config_version=2.4.4',
  'dovecot_config_version = 2.3.0',
  'dovecot_config_version = 9.9.9',
  'dovecot_config_version = "2.4.4"',
  'dovecot_config_version = 2.4.4 # c',
  'dovecot_config_version = $SET:x',
  '#dovecot_config_version = 2.4.4',
];

/** One input: a root file, sometimes an included file and files read with `<file`. */
export function generateDiffInput(random: Random): DiffInput {
  const version: DiffVersion = random.chance(0.5) ? '2.3' : '2.4';
  const input: DiffInput = { version, files: {} };
  const root = new FileBuilder(random, version, input);
  if (version === '2.4') {
    if (random.chance(0.85)) root.lines.push(random.chance(0.8) ? VERSION_LINES[0] : random.pick(VERSION_LINES));
    else if (random.chance(0.5)) root.lines.push('mail_debug = yes', VERSION_LINES[0]);
    if (random.chance(0.8)) root.lines.push('dovecot_storage_version = 2.4.4');
  }
  root.body({ where: undefined, depth: 0 }, 2 + random.int(9));
  input.files[DIFF_ROOT] = joinFile(random, root.lines);
  for (const name of Object.keys(input.files)) {
    if (name === DIFF_ROOT || name.endsWith('.txt') || input.files[name] !== '') continue;
    const included = new FileBuilder(random, version, input);
    included.body({ where: undefined, depth: 0 }, 1 + random.int(4));
    input.files[name] = joinFile(random, included.lines);
  }
  return input;
}
