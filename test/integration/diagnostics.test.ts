// Diagnostics published by the bundled server, as the VS Code client receives them.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  extension,
  fixtureUri,
  hasRule,
  lacksRule,
  lineOf,
  openDovecotDocument,
  replaceLine,
  ruleOf,
  setDocumentText,
  waitForDiagnostics,
  writeWorkspaceFile,
} from './helpers';

const noErrors = (diagnostics: vscode.Diagnostic[]): boolean =>
  !diagnostics.some((d) => d.severity === vscode.DiagnosticSeverity.Error);

interface BrokenCase {
  name: string;
  text: string;
  rule: string;
  message: string;
  line: number;
  fixedLine: string;
}

const brokenCases: BrokenCase[] = [
  {
    name: 'unknown-setting',
    text: 'protocols = imap\nfoo = bar\n',
    rule: 'unknown-setting',
    message: 'Unknown setting: foo',
    line: 1,
    fixedLine: 'listen = *',
  },
  {
    name: 'missing-brace',
    text: 'service imap\n',
    rule: 'expecting-brace',
    message: "Expecting '{'",
    line: 0,
    fixedLine: 'service imap {\n}',
  },
  {
    name: 'stray-brace',
    text: 'protocols = imap\n}\n',
    rule: 'unexpected-close-brace',
    message: "Unexpected '}'",
    line: 1,
    fixedLine: '',
  },
];

suite('diagnostics', () => {
  for (const broken of brokenCases) {
    test(`${broken.rule}: appears for a broken file and disappears after the fix`, async () => {
      const uri = fixtureUri('cases', broken.name, 'dovecot.conf');
      await writeWorkspaceFile(uri, broken.text);
      const editor = await openDovecotDocument(uri);

      const diagnostics = await waitForDiagnostics(uri, hasRule(broken.rule), `a ${broken.rule} diagnostic`);
      const diagnostic = diagnostics.find((d) => ruleOf(d) === broken.rule)!;
      assert.ok(diagnostic.message.includes(broken.message), `message: ${diagnostic.message}`);
      assert.equal(diagnostic.source, 'dovecot');
      assert.equal(diagnostic.range.start.line, broken.line);
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);

      await replaceLine(editor.document, broken.line, broken.fixedLine);
      await waitForDiagnostics(
        uri,
        (d) => lacksRule(broken.rule)(d) && noErrors(d),
        `the ${broken.rule} diagnostic to go away`,
      );
    });
  }

  test('an obsolete setting is struck through, a setting Dovecot ignores in plugin {} faded out', async () => {
    const uri = fixtureUri('cases', 'tags', 'dovecot.conf');
    await writeWorkspaceFile(uri, 'ssl_protocols = TLSv1.2\nplugin {\n  mail_debug = yes\n}\n');
    await openDovecotDocument(uri);
    const diagnostics = await waitForDiagnostics(
      uri,
      (found) => hasRule('obsolete-setting')(found) && hasRule('setting-ignored-in-plugin')(found),
      'the obsolete-setting and setting-ignored-in-plugin diagnostics',
    );
    const tagsOf = (rule: string) => diagnostics.find((d) => ruleOf(d) === rule)?.tags;
    assert.deepStrictEqual(tagsOf('obsolete-setting'), [vscode.DiagnosticTag.Deprecated]);
    assert.deepStrictEqual(tagsOf('setting-ignored-in-plugin'), [vscode.DiagnosticTag.Unnecessary]);
  });

  test('an edit in conf.d/10-mail.conf changes the diagnostics of another file of the tree', async () => {
    const mailUri = fixtureUri('etc', 'dovecot', 'conf.d', '10-mail.conf');
    const dsyncUri = fixtureUri('etc', 'dovecot', 'conf.d', '30-dsync.conf');
    const dsyncDocument = await vscode.workspace.openTextDocument(dsyncUri);
    const replicaLine = lineOf(dsyncDocument, 'mail_replica');
    const mail = await openDovecotDocument(mailUri);
    const original = mail.document.getText();
    await waitForDiagnostics(dsyncUri, lacksRule('replication-plugin-missing'), 'a clean replication tree');

    try {
      // Without any mail_plugins line the rule is reported where replication is configured: mail_replica.
      await replaceLine(mail.document, lineOf(mail.document, 'mail_plugins'), '# mail_plugins removed by the test');
      const diagnostics = await waitForDiagnostics(
        dsyncUri,
        hasRule('replication-plugin-missing'),
        'replication-plugin-missing on 30-dsync.conf after removing mail_plugins from 10-mail.conf',
      );
      const diagnostic = diagnostics.find((d) => ruleOf(d) === 'replication-plugin-missing')!;
      assert.equal(diagnostic.range.start.line, replicaLine, 'reported on the mail_replica line');
    } finally {
      await setDocumentText(mail.document, original);
    }
    await waitForDiagnostics(dsyncUri, lacksRule('replication-plugin-missing'), 'the cross-file diagnostic to go away');
  });

  test("each diagnostic links to its rule's row of the README rule reference", async () => {
    const uri = fixtureUri('cases', 'doclink', 'dovecot.conf');
    await writeWorkspaceFile(uri, 'protocols = imap\nfoo = bar\n');
    await openDovecotDocument(uri);
    const diagnostics = await waitForDiagnostics(uri, hasRule('unknown-setting'), 'an unknown-setting diagnostic');
    const code = diagnostics.find((d) => ruleOf(d) === 'unknown-setting')!.code;
    assert.ok(typeof code === 'object' && code.target, `the code carries a link: ${JSON.stringify(code)}`);
    const readme = vscode.Uri.joinPath(extension().extensionUri, 'README.md');
    assert.strictEqual(code.target.path, readme.path);
    const line = Number(/^L(\d+)$/.exec(code.target.fragment)?.[1]);
    const text =
      Buffer.from(await vscode.workspace.fs.readFile(readme))
        .toString('utf8')
        .split('\n')[line - 1] ?? '';
    assert.ok(text.includes('<a id="rule-unknown-setting"></a>`unknown-setting`'), `README line ${line}: ${text}`);
    // opened as the Problems panel and the hover open it (the workbench's opener): the README at that row
    await vscode.commands.executeCommand('vscode.open', code.target);
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.path, readme.path);
    assert.strictEqual(editor?.selection.active.line, line - 1, "the README opens at the rule's row");
  });
});
