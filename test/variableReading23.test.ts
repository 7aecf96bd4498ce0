// Dovecot 2.3's `$name` as hover, go to definition and find references read it: the value the config service
// puts in its place when it starts, which `doveconf -x` prints. Inside a section it reads the top-level
// setting; inside a protocol/local block that filter's own value, else the default (not the global value);
// `key = $key` on a line of `key` looks outwards. The values below were printed by doveconf 2.3.19.1
// (`doveconf -x -c FILE`) for each probe line; with doveconf installed they are printed again and compared,
// for a line in a protocol block also with `doveconf -x -f protocol=NAME`, what that protocol's processes read.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { MarkupContent, Position } from 'vscode-languageserver-types';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { tempDir } from './helpers/tempDir';
import { doveconfInstalled } from './oracle/cases';

const ROOT = '/etc/dovecot/dovecot.conf';

interface Probe {
  /** 1-based line of `key = ... $name ...`. */
  line: number;
  name: string;
  /** The line's value as `doveconf -x` printed it. */
  value: string;
  /** 1-based line of the assignment `$name` reads; undefined when it reads the default. */
  source?: number;
}

interface Case {
  title: string;
  conf: string[];
  probes: Probe[];
}

const CASES: Case[] = [
  {
    title: 'in sections (service, namespace, plugin), $name reads the global value set so far',
    conf: [
      'hostname = mail.example.com',
      'service imap {',
      '  executable = $hostname',
      '  user = $default_internal_user',
      '}',
      'namespace inbox {',
      '  location = $hostname',
      '}',
      'plugin {',
      '  probe = $hostname',
      '}',
      'hostname = later.example.com',
    ],
    probes: [
      { line: 3, name: 'hostname', value: 'mail.example.com', source: 1 },
      { line: 4, name: 'default_internal_user', value: 'dovecot' },
      { line: 7, name: 'hostname', value: 'mail.example.com', source: 1 },
      { line: 10, name: 'hostname', value: 'mail.example.com', source: 1 },
    ],
  },
  {
    title: "inside a filter, $name reads the filter's own value, else the default, never the global value",
    conf: [
      'hostname = global.example.com',
      'postmaster_address = pm@example.com',
      'protocol imap {',
      '  mail_attribute_dict = $postmaster_address',
      '  imap_id_log = $hostname',
      '}',
      'protocol lmtp {',
      '  hostname = lmtp.example.com',
      '}',
      'protocol lmtp {',
      '  mail_attribute_dict = $hostname',
      '}',
      'local 10.0.0.1 {',
      '  hostname = local.example.com',
      '  protocol imap {',
      '    mail_server_admin = $hostname',
      '  }',
      '}',
      'protocol imap {',
      '  plugin {',
      '    probe = $hostname',
      '  }',
      '}',
    ],
    probes: [
      { line: 4, name: 'postmaster_address', value: 'postmaster@%{if;%d;ne;;%d;%{hostname}}' },
      { line: 5, name: 'hostname', value: '' },
      { line: 11, name: 'hostname', value: 'lmtp.example.com', source: 8 },
      { line: 16, name: 'hostname', value: '' },
      { line: 21, name: 'hostname', value: '' },
    ],
  },
  {
    title: '$key looks outwards; values are written as Dovecot writes them; a value read from a variable is expanded',
    conf: [
      'mail_plugins = quota',
      'protocol imap {',
      '  mail_plugins = $mail_plugins imap_quota',
      '}',
      'local 10.0.0.1 {',
      '  postmaster_address = local@example.com',
      '  protocol imap {',
      '    postmaster_address = $postmaster_address',
      '  }',
      '}',
      'protocol pop3 {',
      '  pop3_logout_format = $default_vsz_limit $mail_debug',
      '  mail_attribute_dict = $auth_cache_ttl',
      '}',
      'default_client_limit = 500',
      'hostname = $default_client_limit',
      'mail_attribute_dict = $hostname $mail_plugins',
      'mail_plugins = $mail_plugins zlib',
    ],
    probes: [
      { line: 3, name: 'mail_plugins', value: 'quota imap_quota', source: 1 },
      { line: 8, name: 'postmaster_address', value: 'local@example.com', source: 6 },
      { line: 12, name: 'default_vsz_limit', value: '256 M no' },
      { line: 12, name: 'mail_debug', value: '256 M no' },
      { line: 13, name: 'auth_cache_ttl', value: '1 hours' },
      { line: 17, name: 'hostname', value: '500 quota', source: 16 },
      { line: 17, name: 'mail_plugins', value: '500 quota', source: 1 },
      { line: 18, name: 'mail_plugins', value: 'quota zlib', source: 1 },
    ],
  },
];

function analyse(conf: string[]) {
  const host = new MemoryHost({ [ROOT]: conf.join('\n') + '\n' });
  const service = getLanguageService(host);
  return { service, analysis: service.analyze(ROOT, { dovecotVersion: '2.3' }) };
}

/** The position of the probe's `$name` token (on its first letter). */
function tokenAt(conf: string[], probe: Probe): Position {
  const text = conf[probe.line - 1];
  const at = text.search(new RegExp(`\\$${probe.name}(?= |$)`));
  assert.ok(at >= 0, `no $${probe.name} on line ${probe.line}`);
  return { line: probe.line - 1, character: at + 1 };
}

/** The hover's value and source: `undefined` source is the default. */
function hoverReading(conf: string[], probe: Probe): { value: string; source?: number } | undefined {
  const { service, analysis } = analyse(conf);
  const hover = service.doHover(analysis, ROOT, tokenAt(conf, probe));
  if (!hover) return undefined;
  const text = (hover.contents as MarkupContent).value;
  const match = /Expands here to (?:`([^`]*)`|\(empty\)) \((?:set at dovecot\.conf:(\d+)|the default)\)/.exec(text);
  assert.ok(match, text);
  return { value: match[1] ?? '', source: match[2] === undefined ? undefined : Number(match[2]) };
}

/** The probe line's value with each `$name` replaced by what its hover says, words joined by one space as Dovecot joins them. */
function expandedLine(conf: string[], line: number): string {
  const written = conf[line - 1].replace(/^[^=]*=\s*/, '');
  return written
    .split(' ')
    .filter((word) => word !== '')
    .map((word) => {
      if (!word.startsWith('$')) return word;
      const reading = hoverReading(conf, { line, name: word.slice(1), value: '' });
      assert.ok(reading, `a hover on ${word}`);
      return reading.value;
    })
    .join(' ');
}

describe('$name in Dovecot 2.3: hover and go to definition read what the config service reads', () => {
  for (const c of CASES) {
    for (const probe of c.probes) {
      test(`${c.title}: line ${probe.line}, $${probe.name}`, () => {
        const reading = hoverReading(c.conf, probe);
        assert.ok(reading, 'a hover');
        assert.equal(reading.source, probe.source, 'the hover names the line doveconf read');
        assert.equal(expandedLine(c.conf, probe.line), probe.value, 'the line as doveconf -x prints it');
        const { service, analysis } = analyse(c.conf);
        const definition = service.findDefinition(analysis, ROOT, tokenAt(c.conf, probe));
        assert.deepEqual(
          definition.map((location) => location.range.start.line + 1),
          probe.source === undefined ? [] : [probe.source],
          'go to definition agrees with the hover',
        );
        if (probe.source !== undefined) {
          const references = service.findReferences(analysis, ROOT, tokenAt(c.conf, probe));
          assert.ok(
            references.some((r) => r.kind === 'write' && r.range.start.line + 1 === probe.source),
            'find references includes the assignment read',
          );
        }
      });
    }
  }

  test("in a service the top-level default, not the service's own (empty) one; in a filter the default, not the global value", () => {
    const service = hoverReading(['service imap {', '  user = $default_internal_user', '}'], {
      line: 2,
      name: 'default_internal_user',
      value: '',
    });
    assert.equal(service?.value, 'dovecot');
    const filter = hoverReading(['hostname = a.example.com', 'protocol imap {', '  imap_id_log = $hostname', '}'], {
      line: 3,
      name: 'hostname',
      value: '',
    });
    assert.deepEqual(filter, { value: '', source: undefined });
  });

  test('a filter reading the default says the global value does not count there', () => {
    const conf = ['hostname = a.example.com', 'protocol imap {', '  imap_id_log = $hostname', '}'];
    const { service, analysis } = analyse(conf);
    const hover = service.doHover(analysis, ROOT, tokenAt(conf, { line: 3, name: 'hostname', value: '' }));
    const text = (hover?.contents as MarkupContent).value;
    assert.match(text, /Inside `protocol imap \{ \}`, `\$hostname` reads what this filter has set, else the default/);
    assert.match(text, /the global value set at dovecot\.conf:1 does not count here/);
  });

  test('silent where the value is not known here: a <file, $ENV:, a template, a name of no top-level setting', () => {
    for (const conf of [
      ['hostname = </etc/hostname', 'mail_attribute_dict = $hostname'],
      ['hostname = $ENV:HOST', 'mail_attribute_dict = $hostname'],
      ['hostname = {{ mail_host }}', 'mail_attribute_dict = $hostname'],
      ['service imap {', '  vsz_limit = 1G', '  vsz_limit = $vsz_limit'],
      ['mail_attribute_dict = a\t$hostname'],
    ]) {
      const line = conf.length;
      assert.equal(
        hoverReading(conf, { line, name: conf[line - 1].includes('vsz') ? 'vsz_limit' : 'hostname', value: '' }),
        undefined,
        conf.join(' / '),
      );
    }
  });
});

/** `doveconf -x` output as `path = value`, the path the section headers around the key. */
function expandedListing(output: string): Map<string, string> {
  const values = new Map<string, string>();
  const headers: string[] = [];
  for (const line of output.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.endsWith('{')) headers.push(trimmed.slice(0, -1).trim());
    else if (trimmed === '}') headers.pop();
    else {
      const setting = /^([^=\s]+) =(?: (.*))?$/.exec(trimmed);
      if (!setting) continue;
      let value = setting[2] ?? '';
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      values.set([...headers, setting[1]].join(' / '), value);
    }
  }
  return values;
}

/** The probe line's path as doveconf prints it: the section headers around it and the key. */
function probePath(conf: string[], probe: Probe): string {
  const headers: string[] = [];
  for (const line of conf.slice(0, probe.line - 1)) {
    const trimmed = line.trim();
    if (trimmed.endsWith('{')) headers.push(trimmed.slice(0, -1).trim());
    else if (trimmed === '}') headers.pop();
  }
  return [...headers, conf[probe.line - 1].trim().split(' ')[0]].join(' / ');
}

describe('the recorded values are what doveconf -x prints', () => {
  const installed = doveconfInstalled();
  if (!installed)
    console.log('SKIPPED: doveconf not installed (Debian dovecot-core); the recorded values were checked');
  for (const c of CASES) {
    test(c.title, (t) => {
      if (!installed) return t.skip('doveconf not installed');
      const dir = tempDir('variable-reading-');
      const file = path.join(dir, 'dovecot.conf');
      writeFileSync(file, c.conf.join('\n') + '\n');
      const run = spawnSync('doveconf', ['-x', '-c', file], { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const listing = expandedListing(run.stdout);
      for (const probe of c.probes) {
        const probeAt = probePath(c.conf, probe);
        assert.equal(listing.get(probeAt), probe.value, `line ${probe.line}`);
        // A top-level line in a protocol block is what that protocol's processes read (doveconf -x -f protocol=X).
        const filter = /^protocol (\w+) \/ ([^/ ]+)$/.exec(probeAt);
        if (!filter) continue;
        const protocol = spawnSync('doveconf', ['-x', '-f', `protocol=${filter[1]}`, '-c', file], {
          cwd: dir,
          encoding: 'utf8',
        });
        assert.equal(protocol.status, 0, protocol.stderr);
        assert.equal(expandedListing(protocol.stdout).get(filter[2]), probe.value, `line ${probe.line}, -f`);
      }
    });
  }
});
