// The replication setup wizard (`dovecot.setupReplication`) in the real extension host: the flow driven
// through a scripted SetupUi (every question it asks is recorded and answered), and once through VS Code's
// own quick inputs with the workbench's commands (accept, Back, last item) as keys would.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ServerController } from '../../client/src/extension';
import type { SetupWizard } from '../../client/src/commands/setupReplication';
import type { InputQuestion, PickQuestion, Reply, SetupUi, ShownStep } from '../../client/src/commands/setupUi';
import {
  closeAllEditors,
  EVENT_TIMEOUT_MS,
  extension,
  fixtureUri,
  openDovecotDocument,
  waitForActivation,
  writeWorkspaceFile,
} from './helpers';

const STEPS = 8;
const TITLE = /^Dovecot: Set Up Replication \((\d+)\/(\d+)\)$/;

/** A question the wizard asked, as the script saw it. */
interface Asked {
  kind: 'input' | 'pick';
  title: string;
  prompt: string;
  value?: string;
  labels?: string[];
  active?: string;
}

type Answer = (asked: Asked) => Reply<string> | 'pick-back' | Promise<Reply<string>>;

/** Answers the wizard's questions in order from `script`; picks are answered by item label. */
class ScriptedUi implements SetupUi {
  readonly asked: Asked[] = [];
  resultShown?: string;
  constructor(
    private readonly script: Answer[],
    private readonly showWritten = false,
  ) {}

  private next(asked: Asked): Promise<Reply<string>> | Reply<string> {
    this.asked.push(asked);
    const answer = this.script.shift();
    assert.ok(answer, `the script has no answer for question ${this.asked.length}: ${asked.title} ${asked.prompt}`);
    const reply = answer(asked);
    return reply === 'pick-back' ? 'back' : reply;
  }

  async input(question: InputQuestion): Promise<Reply<string>> {
    return this.next({ kind: 'input', title: question.title, prompt: question.prompt, value: question.value });
  }

  async pick<T>(question: PickQuestion<T>): Promise<Reply<T>> {
    const active = question.items.find((item) => item.value === question.active);
    const reply = await this.next({
      kind: 'pick',
      title: question.title,
      prompt: question.placeholder,
      labels: question.items.map((item) => item.label),
      active: active?.label,
    });
    if (reply === undefined || reply === 'back') return reply;
    const item = question.items.find((candidate) => candidate.label === reply.value);
    assert.ok(item, `no item "${reply.value}" in ${question.items.map((candidate) => candidate.label).join(' | ')}`);
    return { value: item.value };
  }

  async chooseFolder(): Promise<string | undefined> {
    assert.fail('the file dialog is not part of these scripts');
  }

  async result(message: string): Promise<boolean> {
    this.resultShown = message;
    return this.showWritten;
  }
}

const type =
  (text: string): Answer =>
  () => ({ value: text });
const accept: Answer = (asked) => ({ value: asked.value ?? '' });
const choose =
  (label: string): Answer =>
  () => ({ value: label });
const back: Answer = () => 'back';
const cancel: Answer = () => undefined;

function wizard(): SetupWizard {
  const api = extension().exports as ServerController;
  assert.ok(api.setupWizard, 'the extension exposes its setup wizard');
  return api.setupWizard;
}

/** The step numbers of the titles; fails unless every title is `(n/8)`. */
function stepNumbers(titles: string[]): number[] {
  return titles.map((title) => {
    const match = TITLE.exec(title);
    assert.ok(match, `"${title}" is not a numbered step title`);
    assert.equal(Number(match[2]), STEPS, `"${title}" counts another number of steps`);
    return Number(match[1]);
  });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function text(uri: vscode.Uri): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

/** Writes a small tree `wizard/<name>/host-a` (dovecot.conf + conf.d/10-mail.conf) and opens its dovecot.conf. */
async function hostTree(
  name: string,
  rootText: string,
  mailText: string,
): Promise<{ root: vscode.Uri; ownFile: vscode.Uri; dir: vscode.Uri }> {
  const dir = fixtureUri('wizard', name);
  const root = vscode.Uri.joinPath(dir, 'host-a', 'dovecot.conf');
  await writeWorkspaceFile(root, `${rootText}!include conf.d/*.conf\n`);
  await writeWorkspaceFile(vscode.Uri.joinPath(dir, 'host-a', 'conf.d', '10-mail.conf'), mailText);
  await openDovecotDocument(root);
  return { root, ownFile: vscode.Uri.joinPath(dir, 'host-a', 'conf.d', '90-replication.conf'), dir };
}

/** The diff editors of the proposed files: the modified side of each, by path. */
function previewTabs(): Map<string, vscode.Uri> {
  const previews = new Map<string, vscode.Uri>();
  for (const tab of vscode.window.tabGroups.all.flatMap((group) => group.tabs)) {
    if (tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === 'dovecot-setup-preview')
      previews.set(tab.input.modified.path, tab.input.modified);
  }
  return previews;
}

function passwordOf(config: string): string | undefined {
  return /^doveadm_password = (\S+)$/m.exec(config)?.[1];
}

suite('Replication setup wizard', () => {
  suiteSetup(async () => {
    await waitForActivation(extension());
  });

  teardown(async () => {
    await closeAllEditors();
  });

  test('one numbered flow to the end: defaults from the tree, Back keeps answers, both files previewed before writing', async () => {
    const { ownFile, dir } = await hostTree(
      'flow',
      'listen = 192.0.2.10\n',
      'mail_location = maildir:~/Maildir\nmail_uid = mailer\n',
    );
    const peerDir = vscode.Uri.joinPath(dir, 'new-peer');
    const peerFile = vscode.Uri.joinPath(peerDir, 'conf.d', '90-replication.conf');
    let previewedBeforeWriting: string[] = [];
    const ui = new ScriptedUi(
      [
        (asked) => {
          assert.equal(asked.value, '', 'no mail_replica yet: no peer proposed');
          return { value: 'mail2.example.com' };
        },
        (asked) => {
          assert.equal(asked.value, '192.0.2.10');
          assert.match(asked.prompt, /proposed from listen in dovecot\.conf:1/);
          return { value: asked.value ?? '' };
        },
        back, // transport → back to this host's address
        (asked) => {
          assert.equal(asked.value, '192.0.2.10', 'the answer is kept when coming back');
          return { value: '192.0.2.99' };
        },
        choose('tcp'),
        back, // port → back to the transport
        (asked) => {
          assert.equal(asked.active, 'tcp', 'the transport chosen before is selected');
          return { value: 'tcp' };
        },
        accept, // port
        choose('Use a generated password'),
        (asked) => {
          assert.equal(asked.value, 'mailer');
          assert.match(asked.prompt, /proposed from mail_uid in conf\.d\/10-mail\.conf:2/);
          return { value: asked.value ?? '' };
        },
        (asked) => {
          assert.equal(asked.labels?.at(-1), "Don't write the peer's file");
          assert.ok(asked.labels?.includes('Type a folder…'));
          return { value: 'Type a folder…' };
        },
        type(peerDir.fsPath), // the typed folder does not exist yet: it is created
        async (asked) => {
          assert.deepEqual(asked.labels, ['$(check) Write the files shown in the diff', '$(close) Cancel']);
          previewedBeforeWriting = [...previewTabs().keys()].sort();
          const languages = vscode.workspace.textDocuments
            .filter(
              (document) => document.uri.scheme === 'dovecot-setup-preview' && !document.uri.path.endsWith('.empty'),
            )
            .map((document) => document.languageId);
          assert.deepEqual(languages, ['dovecot', 'dovecot'], 'the proposed files are shown as Dovecot configuration');
          assert.equal(await exists(ownFile), false, 'nothing is written before the confirmation');
          assert.equal(await exists(peerFile), false, 'nothing is written before the confirmation');
          return { value: '$(check) Write the files shown in the diff' };
        },
      ],
      true,
    );
    await wizard().run(ui);

    assert.deepEqual(stepNumbers(ui.asked.map((asked) => asked.title)), [1, 2, 3, 2, 3, 4, 3, 4, 5, 6, 7, 7, 8]);
    assert.deepEqual(
      previewedBeforeWriting,
      [ownFile.path, peerFile.path].sort(),
      'both files are shown as diffs at the last step',
    );
    const own = await text(ownFile);
    const peer = await text(peerFile);
    assert.match(own, /mail_replica = tcp:mail2\.example\.com:12345/);
    assert.match(own, /user = mailer/);
    assert.match(
      peer,
      /mail_replica = tcp:192\.0\.2\.99:12345/,
      'the peer points back at the address given for this host',
    );
    assert.ok(passwordOf(own) && passwordOf(own) === passwordOf(peer), 'one generated password on both hosts');
    assert.equal(ui.resultShown, 'Replication set up: 2 files written.');
    const opened = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .flatMap((tab) => (tab.input instanceof vscode.TabInputText ? [tab.input.uri.path] : []));
    assert.ok(
      opened.includes(ownFile.path) && opened.includes(peerFile.path),
      `"Show what was written" opens both files (open: ${opened.join(', ')})`,
    );
  });

  test('a tree of system users gets no mail user proposed, and the prompt says why; closing the step writes nothing', async () => {
    const { ownFile } = await hostTree(
      'system-users',
      'userdb {\n  driver = passwd\n}\npassdb {\n  driver = pam\n}\n',
      'mail_location = mbox:~/mail:INBOX=/var/mail/%u\n',
    );
    const ui = new ScriptedUi([
      type('mail2.example.com'),
      type('mail1.example.com'),
      choose('tcps'),
      accept,
      choose('Use a generated password'),
      cancel,
    ]);
    await wizard().run(ui);
    const mailUser = ui.asked.at(-1);
    assert.equal(mailUser?.value, '', 'no vmail invented for system users');
    assert.match(mailUser?.prompt ?? '', /system users/);
    assert.equal(await exists(ownFile), false);
    assert.equal(previewTabs().size, 0, 'no preview before the last step');
  });

  test('an existing mail_replica proposes the peer and transport; Cancel at the last step writes nothing', async () => {
    const { ownFile } = await hostTree(
      'cancel',
      '',
      'mail_uid = vmail\nplugin {\n  mail_replica = tcps:mail9.example.com:4711\n}\n',
    );
    const ui = new ScriptedUi([
      (asked) => {
        assert.equal(asked.value, 'mail9.example.com');
        assert.match(asked.prompt, /mail_replica in conf\.d\/10-mail\.conf:3/);
        return { value: asked.value ?? '' };
      },
      type('mail1.example.com'),
      (asked) => {
        assert.equal(asked.active, 'tcps');
        return { value: 'tcps with a CA file…' };
      },
      (asked) => {
        assert.equal(stepNumbers([asked.title])[0], 3, 'the CA file is part of the transport step');
        return { value: '/etc/dovecot/ca.pem' };
      },
      accept,
      choose('Use a generated password'),
      accept,
      choose("Don't write the peer's file"),
      async (asked) => {
        assert.deepEqual([...previewTabs().keys()], [ownFile.path], "only this host's file is previewed");
        const preview = await vscode.workspace.openTextDocument(previewTabs().get(ownFile.path) as vscode.Uri);
        assert.match(preview.getText(), /mail_replica = tcps:mail9\.example\.com:12345/);
        assert.match(preview.getText(), /ssl_client_ca_file = \/etc\/dovecot\/ca\.pem/);
        return { value: asked.labels?.[1] ?? '' };
      },
    ]);
    await wizard().run(ui);
    assert.deepEqual(stepNumbers(ui.asked.map((asked) => asked.title)), [1, 2, 3, 3, 4, 5, 6, 7, 8]);
    assert.equal(await exists(ownFile), false, 'Cancel writes nothing');
    assert.equal(ui.resultShown, undefined);
  });

  test("VS Code's own quick inputs: accept, Back and the last item, through the workbench commands", async function () {
    this.timeout(90000);
    const { ownFile } = await hostTree(
      'real-ui',
      'listen = 192.0.2.20\n',
      'mail_uid = vmail\nplugin {\n  mail_replica = tcp:mail3.example.com:12345\n}\n',
    );
    const shown: ShownStep[] = [];
    // Each entry runs when the next step appears; the workbench commands act on the visible quick input.
    const keys: string[][] = [
      ['workbench.action.acceptSelectedQuickOpenItem'], // 1 peer: proposed from mail_replica
      ['workbench.action.acceptSelectedQuickOpenItem'], // 2 this host: from listen
      ['workbench.action.quickInputBack'], // 3 transport → Back
      ['workbench.action.acceptSelectedQuickOpenItem'], // 2 again
      ['workbench.action.acceptSelectedQuickOpenItem'], // 3 transport: tcp, proposed from mail_replica
      ['workbench.action.acceptSelectedQuickOpenItem'], // 4 port
      ['workbench.action.acceptSelectedQuickOpenItem'], // 5 generated password
      ['workbench.action.acceptSelectedQuickOpenItem'], // 6 mail user
      ['quickInput.last', 'workbench.action.acceptSelectedQuickOpenItem'], // 7 don't write the peer's file
      ['workbench.action.acceptSelectedQuickOpenItem'], // 8 write
      ['notifications.clearAll'], // the short result: dismissing it ends the command
    ];
    const finished = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the wizard stopped after ${shown.map((step) => step.title).join(' | ')}`)),
        EVENT_TIMEOUT_MS * 3,
      );
      const subscription = wizard().onDidShowStep((step) => {
        shown.push(step);
        const commands = keys.shift();
        if (!commands) return;
        // after this turn of the event loop: the step's widget has been sent to the workbench
        setImmediate(async () => {
          for (const command of commands) await vscode.commands.executeCommand(command);
          if (keys.length === 0) {
            clearTimeout(timer);
            subscription.dispose();
            resolve();
          }
        });
      });
    });
    const run = vscode.commands.executeCommand('dovecot.setupReplication');
    await finished;
    await run;

    const result = shown.pop();
    assert.deepEqual(
      [result?.kind, result?.title, result?.prompt],
      ['result', 'Replication set up: 1 file written.', 'Show what was written'],
    );
    assert.deepEqual(stepNumbers(shown.map((step) => step.title)), [1, 2, 3, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(shown[0].value, 'mail3.example.com');
    assert.equal(shown[3].value, '192.0.2.20', 'Back shows the answer given');
    assert.equal(shown[4].active, 'tcp');
    assert.equal(shown[7].value, 'vmail');
    const own = await text(ownFile);
    assert.match(own, /mail_replica = tcp:mail3\.example\.com:12345/);
  });
});
