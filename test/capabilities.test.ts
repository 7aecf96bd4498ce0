// What the client can take and what the server offers (capabilities.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientSupport, serverCapabilities } from '../server/src/capabilities';
import { DOVECONF_CHECK_COMMAND } from '../server/src/protocol';

test('a client that says nothing gets plain edits, no annotations, no configuration requests', () => {
  assert.deepEqual(clientSupport({}), {
    configuration: false,
    snippetEdits: false,
    changeAnnotations: false,
    inlayHintRefresh: false,
  });
});

test("snippet edits and change annotations need documentChanges; each is read from the client's capabilities", () => {
  const full = clientSupport({
    workspace: {
      configuration: true,
      inlayHint: { refreshSupport: true },
      workspaceEdit: { documentChanges: true, changeAnnotationSupport: {}, snippetEditSupport: true } as never,
    },
  });
  assert.deepEqual(full, { configuration: true, snippetEdits: true, changeAnnotations: true, inlayHintRefresh: true });
  const withoutDocumentChanges = clientSupport({
    workspace: { workspaceEdit: { changeAnnotationSupport: {}, snippetEditSupport: true } as never },
  });
  assert.equal(withoutDocumentChanges.snippetEdits, false);
  assert.equal(withoutDocumentChanges.changeAnnotations, false);
});

test('completion items are resolved only for a client that takes their documentation that way', () => {
  assert.equal(serverCapabilities(true).completionProvider?.resolveProvider, true);
  assert.equal(serverCapabilities(false).completionProvider?.resolveProvider, false);
  assert.deepEqual(serverCapabilities(false).executeCommandProvider?.commands, [DOVECONF_CHECK_COMMAND]);
});
