// Debian 13's stock Dovecot 2.4 tree (dovecot-core, -imapd, -lmtpd, -sieve, -managesieved 2.4.1), copied
// in test/fixtures/debian13-stock as it lands on the host: etc/dovecot and the protocol files the packages
// write to /usr/share/dovecot/protocols.d. No false alarm on it, and, with the real doveconf 2.4, the same
// verdict as doveconf on it and on every commented-out example of its files uncommented alone, and the same
// effective configuration as doveconf -n lists for each of those it accepts.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { DiskHost } from '../server/src/service/model/diskHost';
import { runDoveconf } from './oracle/cases';
import { disagreements, type Exception } from './oracle/compare';
import { doveconfListing, listingDifferences, ourListing } from './oracle24/listing';
import { DOVECONF_24, parseVerdict24 } from './oracle24/verdict';
import { tempDir } from './helpers/tempDir';

const FIXTURE = path.join(__dirname, 'fixtures', 'debian13-stock');
const PROTOCOLS = '/usr/share/dovecot/protocols.d';

/** Examples whose verdict differs from doveconf's on purpose, by `file:line`. */
const EXCEPTIONS: Record<string, Exception> = {
  'conf.d/15-lda.conf:25': {
    extraRules: ['variable-syntax-23'],
    why: 'rejection_subject = Rejected: %s: 2.4 keeps %s as literal text in the subject',
  },
  'conf.d/15-lda.conf:29': {
    extraRules: ['variable-syntax-23'],
    why: 'rejection_reason with %t, %n and %r: 2.4 keeps them as literal text in the message',
  },
};

/** Examples where we miss doveconf's error, by `file:line`, with what we do not reproduce. */
const KNOWN_GAPS: Record<string, string> = {};

let tree: string;
let root: string;

/** The fixture in a folder of its own, its absolute include of the protocol files pointed at its copy of them. */
function copyFixture(): string {
  const dir = tempDir('dovecot-debian13-');
  cpSync(FIXTURE, dir, { recursive: true });
  const conf = path.join(dir, 'etc', 'dovecot', 'dovecot.conf');
  const text = readFileSync(conf, 'utf8');
  assert.ok(text.includes(PROTOCOLS), 'the stock dovecot.conf includes the protocol files');
  writeFileSync(conf, text.split(PROTOCOLS).join(path.join(dir, PROTOCOLS)));
  return dir;
}

before(() => {
  tree = copyFixture();
  root = path.join(tree, 'etc', 'dovecot', 'dovecot.conf');
});

const analyse = (file: string) => getLanguageService(new DiskHost()).analyze(file);

test('the stock 2.4 tree is read whole, as 2.4, with the protocol files its packages write', () => {
  const analysis = analyse(root);
  assert.equal(analysis.dialect, '2.4');
  assert.ok(analysis.files.length >= 20, `the whole tree is read (${analysis.files.length} files)`);
  assert.deepEqual(
    analysis.files.filter((file) => file.endsWith('.protocol')).map((file) => path.basename(file)),
    ['imapd.protocol', 'lmtpd.protocol', 'managesieved.protocol'],
  );
  assert.deepEqual(
    analysis.diagnostics.filter((d) => d.level === 'error' || d.level === 'warning').map((d) => d.message),
    [],
  );
});

const haveDoveconf24 = existsSync(DOVECONF_24);
if (!haveDoveconf24)
  console.log(
    'SKIPPED: no Dovecot 2.4 doveconf (see scripts/build-dovecot24.sh): the stock 2.4 tree is not compared with it',
  );

test('doveconf 2.4 accepts the stock tree without warnings', { skip: !haveDoveconf24 }, () => {
  const { output, rc } = runDoveconf(root, DOVECONF_24);
  const verdict = parseVerdict24(output, rc, root);
  assert.deepEqual([verdict.rc, verdict.warnings], [0, []], output);
});

test("the effective configuration lists exactly doveconf 2.4's lines, in its order", { skip: !haveDoveconf24 }, () => {
  const theirs = doveconfListing(runDoveconf(root, DOVECONF_24).output);
  const service = getLanguageService(new DiskHost());
  assert.deepEqual(listingDifferences(ourListing(service, service.analyze(root)), theirs), []);
});

/**
 * Each one-line `#key = value` example of the tree's files, as `file` (relative to etc/dovecot) and 0-based
 * line; the lines of an example continued with `\` are left out (uncommented alone, they are a broken edit).
 */
function commentedExamples(dir: string): { file: string; line: number }[] {
  const files = ['dovecot.conf', ...readdirSync(path.join(dir, 'conf.d')).map((name) => `conf.d/${name}`)];
  return files.flatMap((file) => {
    const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
    const continued = (line: number): boolean => line >= 0 && lines[line].trimEnd().endsWith('\\');
    return lines.flatMap((text, line) =>
      /^\s*#\s*[a-z_]+\s*=/.test(text) && !continued(line) && !continued(line - 1) ? [{ file, line }] : [],
    );
  });
}

test("every commented-out example, uncommented alone, gets doveconf 2.4's verdict", { skip: !haveDoveconf24 }, () => {
  const examples = commentedExamples(path.dirname(root));
  assert.ok(examples.length > 250, `the stock files carry their examples (${examples.length})`);
  const problems: string[] = [];
  for (const { file, line } of examples) {
    const place = `${file}:${line + 1}`;
    if (KNOWN_GAPS[place]) continue;
    const variant = copyFixture();
    const variantRoot = path.join(variant, 'etc', 'dovecot', 'dovecot.conf');
    const target = path.join(path.dirname(variantRoot), file);
    const lines = readFileSync(target, 'utf8').split('\n');
    lines[line] = lines[line].replace(/^(\s*)#\s*/, '$1');
    writeFileSync(target, lines.join('\n'));
    const { output, rc } = runDoveconf(variantRoot, DOVECONF_24);
    const verdict = parseVerdict24(output, rc, variantRoot);
    // doveconf -x: what Dovecot checks when it starts, which our start-time errors are compared with.
    const expanded = runDoveconf(variantRoot, DOVECONF_24, true);
    const service = getLanguageService(new DiskHost());
    const analysis = service.analyze(variantRoot);
    const found = [
      ...disagreements(
        analysis,
        verdict,
        path.dirname(variantRoot),
        EXCEPTIONS[place],
        parseVerdict24(expanded.output, expanded.rc, variantRoot),
      ),
      ...(verdict.accepted ? listingDifferences(ourListing(service, analysis), doveconfListing(output)) : []),
    ];
    if (found.length > 0) problems.push(`${place} (${lines[line].trim()}): ${found.join('; ')}`);
  }
  assert.deepEqual(problems, []);
});
