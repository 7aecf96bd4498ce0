// Smoke test against the extension installed from the packaged .vsix (not the development folder).
import * as assert from 'assert';
import * as path from 'path';
import {
  extension,
  fixtureUri,
  hasRule,
  openDovecotDocument,
  waitForActivation,
  waitForDiagnostics,
  writeWorkspaceFile,
} from './helpers';

suite('installed .vsix', () => {
  test('the extension comes from the extensions directory, not the repository', () => {
    const expectedDir = process.env.DOVECOT_EXPECT_EXTENSIONS_DIR;
    assert.ok(expectedDir, 'DOVECOT_EXPECT_EXTENSIONS_DIR must name the extensions dir the .vsix was installed into');
    const relative = path.relative(expectedDir, extension().extensionPath);
    assert.ok(
      !relative.startsWith('..') && !path.isAbsolute(relative),
      `extension loaded from ${extension().extensionPath}`,
    );
  });

  test('activates on dovecot.conf and publishes a diagnostic', async () => {
    await openDovecotDocument(fixtureUri('etc', 'dovecot', 'dovecot.conf'));
    await waitForActivation(extension());
    const uri = fixtureUri('cases', 'smoke', 'dovecot.conf');
    await writeWorkspaceFile(uri, 'foo = bar\n');
    await openDovecotDocument(uri);
    await waitForDiagnostics(
      uri,
      hasRule('unknown-setting'),
      'an unknown-setting diagnostic from the installed server',
    );
  });
});
