// The migration report as the editor shows it, and where a converted tree may be written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MigrationReportEntry, MigrationResult } from '../server/src/service/migrate/types';
import { renderReportMarkdown } from '../server/src/service/migrate/reportMarkdown';
import {
  defaultDestination,
  destinationProblem,
  planInPlace,
  planNewFolder,
} from '../server/src/service/migrate/writePlan';

const ROOT = '/srv/mail/dovecot/dovecot.conf';
const MAIL = '/srv/mail/dovecot/conf.d/10-mail.conf';

function entry(
  kind: MigrationReportEntry['kind'],
  file: string,
  line: number,
  message: string,
  action?: string,
): MigrationReportEntry {
  return {
    kind,
    file,
    range: { start: { line, character: 0 }, end: { line, character: 5 } },
    rule: 'test',
    message,
    action,
  };
}

function result(
  report: MigrationReportEntry[],
  files = [
    { path: ROOT, relativePath: 'dovecot.conf', original: 'a\n', converted: 'a\n', changed: false },
    { path: MAIL, relativePath: 'conf.d/10-mail.conf', original: 'b\n', converted: 'c\n', changed: true },
  ],
): MigrationResult {
  return { target: '2.4', files, report, complete: !report.some((e) => e.kind === 'not-converted') };
}

describe('migration report (Markdown)', () => {
  it('puts what needs the admin first, each with file:line of the original and what to do', () => {
    const text = renderReportMarkdown(
      ROOT,
      result([
        entry('converted', MAIL, 2, 'mail_location split into mail_driver and mail_path.'),
        entry('not-converted', ROOT, 9, 'Replication is gone in 2.4.', 'Run doveadm sync from cron.'),
        entry('needs-review', MAIL, 0, 'Check the index path.'),
      ]),
    );
    const needs = text.indexOf('## Needs you (1)');
    const check = text.indexOf('## Check these (1)');
    const converted = text.indexOf('## Converted (1)');
    assert.ok(needs > 0 && needs < check && check < converted, text);
    assert.match(
      text,
      /- `dovecot\.conf:10` Replication is gone in 2\.4\. \*\*What to do:\*\* Run doveadm sync from cron\./,
    );
    assert.match(text, /- `conf\.d\/10-mail\.conf:3` mail_location split/);
    assert.match(text, /1 item needs you/);
    assert.match(text, /1 of 2 files changed/);
    assert.match(text, /- changed: `conf\.d\/10-mail\.conf`\n- unchanged: `dovecot\.conf`/);
  });

  it('says so when everything converted, and keeps a multi-line message on its entry line', () => {
    const text = renderReportMarkdown(ROOT, result([entry('converted', MAIL, 0, 'first\nsecond')]));
    assert.match(text, /Everything was converted\./);
    assert.match(text, /`conf\.d\/10-mail\.conf:1` first second\n/);
    assert.doesNotMatch(text, /Needs you/);
  });

  it('orders entries by the files of the tree, then by line', () => {
    const text = renderReportMarkdown(
      ROOT,
      result([
        entry('converted', MAIL, 4, 'later'),
        entry('converted', ROOT, 7, 'root'),
        entry('converted', MAIL, 1, 'earlier'),
      ]),
    );
    const order = ['root', 'earlier', 'later'].map((word) => text.indexOf(word));
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      text,
    );
  });
});

describe('where a converted tree is written', () => {
  it('proposes a sibling folder named after the target', () => {
    assert.equal(defaultDestination(ROOT, '2.4'), '/srv/mail/dovecot-2.4');
  });

  it('refuses the original folder, a folder inside it and a folder that contains it', () => {
    assert.match(destinationProblem(ROOT, '/srv/mail/dovecot') ?? '', /original folder/);
    assert.match(destinationProblem(ROOT, '/srv/mail/dovecot/conf.d/new') ?? '', /inside the original/);
    assert.match(destinationProblem(ROOT, '/srv/mail') ?? '', /contains the original/);
    assert.equal(destinationProblem(ROOT, '/srv/mail/dovecot-2.4'), undefined);
    assert.equal(destinationProblem(ROOT, '/srv/mail/dovecot2'), undefined);
  });

  it('writes the whole tree to a new folder, but never a file outside the original folder', () => {
    const files = [
      ...result([]).files,
      {
        path: '/etc/shared/auth.conf',
        relativePath: '../../../etc/shared/auth.conf',
        original: 'x',
        converted: 'y',
        changed: true,
      },
      { path: '/etc/other.conf', relativePath: '/etc/other.conf', original: 'x', converted: 'y', changed: true },
    ];
    const plan = planNewFolder(result([], files), '/tmp/out');
    assert.deepEqual(
      plan.files.map((file) => [file.relativePath, file.content]),
      [
        ['dovecot.conf', 'a\n'],
        ['conf.d/10-mail.conf', 'c\n'],
      ],
    );
    assert.deepEqual(
      plan.left.map((file) => file.path),
      ['/etc/shared/auth.conf', '/etc/other.conf'],
    );
  });

  it('replacing the originals writes only the changed files', () => {
    const plan = planInPlace(ROOT, result([]));
    assert.deepEqual(
      plan.files.map((file) => [file.source, file.content]),
      [[MAIL, 'c\n']],
    );
  });
});
