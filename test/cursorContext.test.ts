import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cursorContext } from '../server/src/service/features/cursorContext';
import { cursorIn, cursorInRoot, ROOT, withCursor, type CursorCase } from './helpers/cursor';

function contextAt(c: CursorCase) {
  return cursorContext(c.analysis, c.file, c.position);
}

describe('cursor marker helper', () => {
  it('turns | into a position and removes it', () => {
    assert.deepEqual(withCursor('a\nbc|d'), { text: 'a\nbcd', position: { line: 1, character: 2 } });
    assert.throws(() => withCursor('no marker'));
  });
});

describe('cursorContext', () => {
  it('top level, inside a section, inside a nested listener', () => {
    assert.equal(contextAt(cursorInRoot('|')).context, '');
    assert.equal(contextAt(cursorInRoot('service imap {\n  |\n}\n')).context, 'service');
    const nested = contextAt(cursorInRoot('service imap-login {\n  inet_listener imaps {\n    po|rt = 993\n  }\n}\n'));
    assert.equal(nested.context, 'service/inet_listener');
    assert.equal(nested.section?.name, 'imaps');
    assert.equal(nested.statement?.kind, 'setting');
    assert.equal(nested.linePrefix, '    po');
    assert.equal(nested.lineSuffix, 'rt = 993');
  });

  it('after a closing brace is outside; on the brace is still inside', () => {
    assert.equal(contextAt(cursorInRoot('service imap {\n}\n|')).context, '');
    assert.equal(contextAt(cursorInRoot('service imap {\n|}\n')).context, 'service');
    assert.equal(contextAt(cursorInRoot('service imap {\n}|\n')).context, '');
  });

  it('on a section header: the header, with the parent context', () => {
    const c = contextAt(cursorInRoot('service imap {\n  inet_list|ener imap {\n  }\n}\n'));
    assert.equal(c.context, 'service');
    assert.equal(c.header?.type, 'inet_listener');
  });

  it('filters are kept apart from the context path', () => {
    const c = contextAt(cursorInRoot('local 10.0.0.1 {\n  protocol imap {\n    plugin {\n      |\n    }\n  }\n}\n'));
    assert.equal(c.context, 'plugin');
    assert.deepEqual(
      c.filters.map((f) => `${f.type} ${f.name}`),
      ['local 10.0.0.1', 'protocol imap'],
    );
  });

  it('an unclosed section extends to the end of the file', () => {
    assert.equal(contextAt(cursorInRoot('service imap {\n  vsz_limit = 1G\n\n|')).context, 'service');
  });

  it('a file included inside a section starts in that section', () => {
    const c = contextAt(
      cursorIn({
        [ROOT]: 'service aggregator {\n  !include agg.conf\n}\n',
        '/etc/dovecot/agg.conf': 'unix_listener replication-notify {\n  |\n}\n',
      }),
    );
    assert.equal(c.context, 'service/unix_listener');
    assert.equal(c.frames[0].file, ROOT);
    assert.equal(c.frames[1].file, '/etc/dovecot/agg.conf');
  });

  it("a } in an included file closes the including file's section", () => {
    const files = {
      [ROOT]: 'service imap {\n  !include x.conf\nmail_debug = yes\n',
      '/etc/dovecot/x.conf': 'vsz_limit = 1G\n|}\nssl = yes\n',
    };
    assert.equal(contextAt(cursorIn(files)).context, 'service');
    const after = cursorIn({ ...files, '/etc/dovecot/x.conf': 'vsz_limit = 1G\n}\n|ssl = yes\n' });
    assert.equal(contextAt(after).context, '');
  });

  it('positions beyond the text and unknown files do not throw', () => {
    const c = cursorInRoot('ssl = yes|\n');
    assert.equal(cursorContext(c.analysis, c.file, { line: 50, character: 9 }).linePrefix, '');
    assert.equal(cursorContext(c.analysis, c.file, { line: 0, character: 500 }).linePrefix, 'ssl = yes');
    assert.equal(cursorContext(c.analysis, '/elsewhere.conf', { line: 0, character: 0 }).context, '');
  });
});
