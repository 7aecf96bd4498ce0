// A new user's first minutes with the INSTALLED .vsix (smoke session): the bundled example pair and a copy
// of Debian's stock tree (/etc/dovecot, outside any dovecot/ folder) are recognised file by file, hover,
// completion and quick fixes work there, secrets stay out of the outline, the packaged contributions are
// there (walkthrough, rule ids, language defaults), and nothing the user reads cites our internal documents.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  completionLabels,
  extension,
  fixtureUri,
  hasRule,
  hoverText,
  lacksRule,
  LANGUAGE_ID,
  lineOf,
  openDovecotDocument,
  quickFixesAt,
  ruleOf,
  waitForActivation,
  waitForDiagnostics,
  waitForLanguage,
} from './helpers';

const STOCK = '/etc/dovecot';
/** What user-facing text must never contain: our fact sheet, its section signs, its table rows. */
const INTERNAL = /FACTS|§|\brows? \d/;

const example = (...segments: string[]): vscode.Uri => fixtureUri('examples', 'replication', 'host-a', ...segments);
const stockCopy = (...segments: string[]): vscode.Uri => fixtureUri('mailhost', 'etc-copy', ...segments);

async function openAsUser(uri: vscode.Uri): Promise<vscode.TextDocument> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  return waitForLanguage(uri, LANGUAGE_ID);
}

function symbolLines(symbols: readonly vscode.DocumentSymbol[] | undefined): string[] {
  return (symbols ?? []).flatMap((symbol) => [`${symbol.name} ${symbol.detail}`, ...symbolLines(symbol.children)]);
}

suite('first run with the installed extension', () => {
  suiteSetup(async () => {
    await openDovecotDocument(example('dovecot.conf'));
    await waitForActivation(extension());
  });

  test("the example's conf.d files (no dovecot/ folder in their path) become dovecot, with hover, completion and the safe quick fix first", async () => {
    const uri = example('conf.d', '90-plugin.conf');
    const document = await openAsUser(uri);
    const line = lineOf(document, 'mail_replica');
    assert.match(
      hoverText(
        await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          uri,
          new vscode.Position(line, 4),
        ),
      ),
      /tcps?:/,
    );
    const { server } = await completionLabels(
      uri,
      new vscode.Position(line, document.lineAt(line).text.indexOf('=') + 2),
    );
    assert.ok(
      server.some((label) => /^tcps:192\.0\.2\.11:12345$/.test(label)),
      `mail_replica = offers the peer's listener: ${server.slice(0, 8).join(', ')}`,
    );
    const diagnostics = await waitForDiagnostics(
      uri,
      hasRule('peer-transport-mismatch'),
      'the tcp/tcps mismatch with host-b',
    );
    const mismatch = diagnostics.find((diagnostic) => ruleOf(diagnostic) === 'peer-transport-mismatch')!;
    const fixes = await quickFixesAt(uri, mismatch.range);
    assert.match(fixes[0]?.title ?? '', /^Use tcps:/, fixes.map((fix) => fix.title).join(' | '));
    assert.deepEqual(
      fixes.filter((fix) => fix.isPreferred).map((fix) => fix.title),
      [fixes[0].title],
    );
  });

  test('the outline shows doveadm_password without its value', async () => {
    const uri = example('conf.d', '90-replication.conf');
    const document = await openAsUser(uri);
    const secret = /doveadm_password = (\S+)/.exec(document.getText())?.[1];
    assert.ok(secret, 'the example sets doveadm_password');
    const outline = symbolLines(
      await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri),
    );
    const entry = outline.find((text) => text.startsWith('doveadm_password'));
    assert.ok(entry, `outline: ${outline.join(' | ')}`);
    assert.ok(!entry.includes(secret), `the outline shows the password: ${entry}`);
  });

  suite("a copy of Debian's stock tree", () => {
    suiteSetup(function () {
      if (!fs.existsSync(path.join(STOCK, 'dovecot.conf'))) {
        console.log(`SKIPPED: stock tree: ${STOCK}/dovecot.conf is missing (Debian package dovecot-core)`);
        this.skip();
      }
      // the configuration only: private/ holds the host's TLS key
      fs.cpSync(STOCK, stockCopy().fsPath, {
        recursive: true,
        filter: (source) => !source.startsWith(path.join(STOCK, 'private')),
      });
    });

    test('every conf.d file of the tree opens as dovecot', async () => {
      await openDovecotDocument(stockCopy('dovecot.conf'));
      for (const name of ['10-mail.conf', '10-master.conf', '90-plugin.conf', 'auth-system.conf.ext']) {
        const document = await openAsUser(stockCopy('conf.d', name));
        assert.equal(document.languageId, LANGUAGE_ID, name);
      }
    });

    test('hover, completion, snippets only at top level, and a quick fix in a stock conf.d file; unedited, the tree has no errors or warnings', async () => {
      const uri = stockCopy('conf.d', '10-mail.conf');
      const document = await openAsUser(uri);
      const line = document
        .getText()
        .split('\n')
        .findIndex((text) => text.startsWith('mail_location = '));
      assert.ok(line >= 0, 'the stock 10-mail.conf sets mail_location');
      const hover = hoverText(
        await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          uri,
          new vscode.Position(line, 3),
        ),
      );
      assert.match(hover, /mail_location/);

      const edit = new vscode.WorkspaceEdit();
      edit.insert(
        uri,
        document.positionAt(document.getText().length),
        '\nmail_locaton = maildir:~/Maildir\nservice imap {\n  \n}\n',
      );
      assert.ok(await vscode.workspace.applyEdit(edit));
      try {
        const top = await completionLabels(uri, new vscode.Position(lineOf(document, 'mail_locaton'), 0));
        assert.ok(
          top.server.includes('mail_location') && top.snippets.length > 0,
          `top level: ${top.snippets.join(', ')}`,
        );
        const inside = await completionLabels(uri, new vscode.Position(lineOf(document, 'service imap {') + 1, 2));
        assert.ok(
          inside.server.includes('process_limit'),
          `inside service imap: ${inside.server.slice(0, 10).join(', ')}`,
        );
        assert.deepEqual(inside.snippets, [], 'no snippet inside a section');

        const diagnostics = await waitForDiagnostics(uri, hasRule('unknown-setting'), 'the misspelt mail_locaton');
        const unknown = diagnostics.find((diagnostic) => ruleOf(diagnostic) === 'unknown-setting')!;
        const fixes = await quickFixesAt(uri, unknown.range);
        assert.ok(
          fixes.some((fix) => fix.title.includes('mail_location')),
          fixes.map((fix) => fix.title).join(' | '),
        );
      } finally {
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
      // once the edit is undone and analysed again, the stock tree is clean
      await waitForDiagnostics(uri, lacksRule('unknown-setting'), 'the revert');
      for (const [file, diagnostics] of vscode.languages.getDiagnostics()) {
        if (!file.path.startsWith(stockCopy().path)) continue;
        const loud = diagnostics.filter((diagnostic) => diagnostic.severity <= vscode.DiagnosticSeverity.Warning);
        assert.deepEqual(
          loud.map(
            (diagnostic) => `${path.basename(file.path)}:${diagnostic.range.start.line + 1} ${diagnostic.message}`,
          ),
          [],
        );
      }
    });
  });

  test('nothing the user reads names our internal documents: messages, hovers, the package manifest', async () => {
    const shown: string[] = [];
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      for (const diagnostic of diagnostics)
        shown.push(diagnostic.message, ...(diagnostic.relatedInformation ?? []).map((related) => related.message));
    }
    assert.ok(shown.length > 5, 'the example publishes diagnostics');
    const uri = example('conf.d', '90-replication.conf');
    const document = await openAsUser(uri);
    for (let line = 0; line < document.lineCount; line++) {
      const column = document.lineAt(line).firstNonWhitespaceCharacterIndex;
      shown.push(
        hoverText(
          await vscode.commands.executeCommand<vscode.Hover[]>(
            'vscode.executeHoverProvider',
            uri,
            new vscode.Position(line, column + 1),
          ),
        ),
      );
    }
    // every text file the package ships besides the bundles (whose comments are not shown to anyone)
    const root = extension().extensionPath;
    const readme = fs.readdirSync(root).filter((file) => /^readme\.md$/i.test(file));
    assert.equal(readme.length, 1, 'the package has its README');
    for (const relative of [
      'package.json',
      ...readme,
      ...['syntaxes', 'walkthrough', 'schemas'].flatMap((dir) =>
        fs.readdirSync(path.join(root, dir)).map((file) => path.join(dir, file)),
      ),
    ]) {
      shown.push(`${relative}: ${fs.readFileSync(path.join(root, relative), 'utf8')}`);
    }
    const internal = shown.flatMap((text) => {
      const match = INTERNAL.exec(text);
      return match ? [`${text.slice(0, 60)} … ${text.slice(Math.max(0, match.index - 80), match.index + 40)}`] : [];
    });
    assert.deepEqual(internal, []);
  });

  test('the package carries the walkthrough, a rule-id enum for dovecot.lint.rules and two-space defaults', () => {
    const manifest = extension().packageJSON as {
      contributes: {
        walkthroughs: { steps: { id: string; media: { markdown: string } }[] }[];
        configuration: {
          properties: Record<string, { properties?: Record<string, unknown>; propertyNames?: { enum: string[] } }>;
        };
        configurationDefaults: Record<string, Record<string, unknown>>;
      };
    };
    const steps = manifest.contributes.walkthroughs[0].steps;
    assert.deepEqual(
      steps.map((step) => step.id),
      ['open', 'problems', 'replication', 'effective'],
    );
    for (const step of steps)
      assert.ok(fs.existsSync(path.join(extension().extensionPath, step.media.markdown)), step.media.markdown);
    const rules = manifest.contributes.configuration.properties['dovecot.lint.rules'];
    assert.ok(
      (rules.propertyNames?.enum.length ?? 0) > 50 && rules.propertyNames?.enum.includes('peer-transport-mismatch'),
    );
    assert.deepEqual(Object.keys(rules.properties ?? {}).sort(), [...(rules.propertyNames?.enum ?? [])].sort());
    assert.deepEqual(manifest.contributes.configurationDefaults['[dovecot]'], {
      'editor.tabSize': 2,
      'editor.insertSpaces': true,
    });
    assert.equal(vscode.workspace.getConfiguration('editor', { languageId: LANGUAGE_ID }).get('tabSize'), 2);
  });
});
