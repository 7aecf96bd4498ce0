// A quick fix's edits as the client applies them (workspaceEdits.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixTitle, shownPath, toWorkspaceEdit, type EditClient } from '../server/src/workspaceEdits';

const OWN = '/work/a/dovecot.conf';
const PEER = '/work/b/dovecot.conf';
const edit = (newText: string) => ({
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  newText,
});
const client = (changeAnnotations: boolean): EditClient => ({
  changeAnnotations,
  workspaceFolders: ['/work'],
  uriOf: (file) => `file://${file}`,
  versionOf: (uri) => (uri === `file://${OWN}` ? 7 : null),
});

test('a file is shown relative to its workspace folder, else as it is', () => {
  assert.equal(shownPath(PEER, ['/work']), 'b/dovecot.conf');
  assert.equal(shownPath('/etc/dovecot/dovecot.conf', ['/work']), '/etc/dovecot/dovecot.conf');
  assert.equal(shownPath('/work', ['/work']), '/work');
});

test('edits of the file being edited alone are plain changes', () => {
  assert.deepEqual(toWorkspaceEdit({ [OWN]: [edit('x')] }, false, OWN, client(true)), {
    changes: { [`file://${OWN}`]: [edit('x')] },
  });
});

test("an edit of another file needs confirmation when the client can ask; the fix's title names that file", () => {
  const edits = { [OWN]: [edit('x')], [PEER]: [edit('y')] };
  const annotated = toWorkspaceEdit(edits, false, OWN, client(true));
  assert.deepEqual(annotated.documentChanges, [
    { textDocument: { uri: `file://${OWN}`, version: 7 }, edits: [edit('x')] },
    {
      textDocument: { uri: `file://${PEER}`, version: null },
      edits: [{ ...edit('y'), annotationId: 'edit b/dovecot.conf' }],
    },
  ]);
  assert.deepEqual(annotated.changeAnnotations, {
    'edit b/dovecot.conf': {
      label: 'Changes b/dovecot.conf',
      description: 'another file than the one you are editing',
      needsConfirmation: true,
    },
  });
  assert.deepEqual(toWorkspaceEdit(edits, false, OWN, client(false)), {
    changes: { [`file://${OWN}`]: [edit('x')], [`file://${PEER}`]: [edit('y')] },
  });
  assert.equal(fixTitle('Add the peer', edits, OWN, ['/work']), 'Add the peer (in b/dovecot.conf)');
  assert.equal(fixTitle('Add the peer', { [OWN]: [edit('x')] }, OWN, ['/work']), 'Add the peer');
});

test('a snippet edit carries its text as a snippet', () => {
  const sent = toWorkspaceEdit({ [OWN]: [edit('port = ${1:12345}')] }, true, OWN, client(false));
  assert.deepEqual(sent.documentChanges, [
    {
      textDocument: { uri: `file://${OWN}`, version: 7 },
      edits: [{ range: edit('').range, snippet: { kind: 'snippet', value: 'port = ${1:12345}' } }],
    },
  ]);
});
