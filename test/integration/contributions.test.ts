// Static contributions (grammar, snippets, commands) as the extension host loaded them.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  completionLabels,
  extension,
  fixtureUri,
  LANGUAGE_ID,
  openDovecotDocument,
  writeWorkspaceFile,
} from './helpers';

interface Contribution {
  language?: string;
  scopeName?: string;
  path: string;
}

async function readExtensionJson(relativePath: string): Promise<unknown> {
  const uri = vscode.Uri.joinPath(extension().extensionUri, relativePath);
  const bytes = await vscode.workspace.fs.readFile(uri);
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}

function contributions(kind: 'grammars' | 'snippets'): Contribution[] {
  const packageJson = extension().packageJSON as { contributes?: Record<string, Contribution[]> };
  return (packageJson.contributes?.[kind] ?? []).filter((c) => c.language === LANGUAGE_ID);
}

suite('contributions', () => {
  test('the TextMate grammar is registered for dovecot and loads', async () => {
    const [grammar] = contributions('grammars');
    assert.ok(grammar, 'no grammar contributed for the dovecot language');
    assert.equal(grammar.scopeName, 'source.dovecot');
    const content = (await readExtensionJson(grammar.path)) as { scopeName?: string; patterns?: unknown[] };
    assert.equal(content.scopeName, 'source.dovecot', `${grammar.path} declares another scopeName`);
    assert.ok(Array.isArray(content.patterns) && content.patterns.length > 0, `${grammar.path} has no patterns`);
  });

  test('snippets come from the server: offered at top level, never inside a section', async () => {
    assert.equal(
      contributions('snippets').length,
      0,
      'no static snippets: VS Code would offer them inside sections too',
    );
    const uri = fixtureUri('cases', 'snippets', 'dovecot.conf');
    await writeWorkspaceFile(
      uri,
      'protocols = imap\n\nservice replicator {\n  \n  unix_listener replicator-doveadm {\n    \n  }\n}\n',
    );
    await openDovecotDocument(uri);
    const top = (await completionLabels(uri, new vscode.Position(1, 0))).snippets;
    for (const label of ['service aggregator', 'replication setup tcp', 'plugin mail_replica']) {
      assert.ok(top.includes(label), `top level offers ${label}: ${top.join(', ')}`);
    }
    assert.deepEqual(
      (await completionLabels(uri, new vscode.Position(3, 2))).snippets,
      [],
      'inside service replicator {}',
    );
    assert.deepEqual((await completionLabels(uri, new vscode.Position(5, 4))).snippets, [], 'inside unix_listener {}');
  });

  test('an untrusted workspace cannot set the paths the server reads (rootConfig, replication peers)', () => {
    const packageJson = extension().packageJSON as {
      capabilities?: { untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: string[] } };
    };
    const untrusted = packageJson.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.deepEqual([...(untrusted?.restrictedConfigurations ?? [])].sort(), [
      'dovecot.replication.peers',
      'dovecot.rootConfig',
    ]);
    const properties = Object.keys(
      (extension().packageJSON as { contributes: { configuration: { properties: Record<string, unknown> } } })
        .contributes.configuration.properties,
    );
    for (const name of untrusted?.restrictedConfigurations ?? [])
      assert.ok(properties.includes(name), `${name} is a contributed setting`);
  });

  test('registers the contributed commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['dovecot.restartServer', 'dovecot.setupReplication', 'dovecot.convertTo24']) {
      assert.ok(commands.includes(command), `command ${command} is not registered`);
    }
  });

  test('a walkthrough introduces the extension: open dovecot.conf, problems, replication, effective configuration', async () => {
    interface Step {
      id: string;
      description: string;
      media: { markdown?: string };
      completionEvents?: string[];
    }
    const walkthroughs =
      (extension().packageJSON as { contributes: { walkthroughs?: { id: string; steps: Step[] }[] } }).contributes
        .walkthroughs ?? [];
    assert.strictEqual(walkthroughs.length, 1);
    const steps = walkthroughs[0].steps;
    assert.deepStrictEqual(
      steps.map((step) => step.id),
      ['open', 'problems', 'replication', 'effective'],
    );
    const registered = await vscode.commands.getCommands(true);
    for (const step of steps) {
      const commands = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((match) => match[1]);
      assert.ok(commands.length > 0, `step ${step.id} has a button`);
      for (const command of commands)
        assert.ok(registered.includes(command), `step ${step.id}: ${command} is registered`);
      assert.ok(step.media.markdown, `step ${step.id} has its page`);
      const page = Buffer.from(
        await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension().extensionUri, step.media.markdown)),
      ).toString('utf8');
      assert.match(page, /^## /, `${step.media.markdown} is a page`);
      assert.ok((step.completionEvents ?? []).length > 0, `step ${step.id} completes by itself`);
    }
  });
});
