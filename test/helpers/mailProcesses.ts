// Real Dovecot mail processes run as far as loading their mail plugins, without the daemon: doveadm with a
// mail command, imap, lmtp and dovecot-lda standalone with a user in the environment. For Debian's 2.3
// (/usr) and the 2.4.4 build (scripts/build-dovecot24.sh); `present` says whether a version is installed.
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DOVECONF_24 } from '../oracle24/verdict';
import { tempDir } from './tempDir';

export type Version = '2.3' | '2.4';

export const HEAD_24 = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';

const BINARIES: Record<Version, { doveconf: string; doveadm: string; libexec: string }> = {
  '2.3': { doveconf: '/usr/bin/doveconf', doveadm: '/usr/bin/doveadm', libexec: '/usr/lib/dovecot' },
  '2.4': {
    doveconf: DOVECONF_24,
    doveadm: path.join(path.dirname(DOVECONF_24), 'doveadm'),
    libexec: path.join(path.dirname(path.dirname(DOVECONF_24)), 'libexec', 'dovecot'),
  },
};

/** Dovecot's check of the dependencies, or the dynamic linker's refusal where a plugin is not linked to them. */
export const REFUSED =
  /Couldn't load required plugin \S*\/(lib\w+\.so): (?:Plugin (\w+) must be loaded also|dlopen\(\) failed: .*undefined symbol)/;

/** A scratch configuration for one version: a static userdb, mail under the scratch folder, no SSL. */
export class MailProcesses {
  private readonly dir = tempDir('dovecot-mail-processes-');
  readonly file = path.join(this.dir, 'dovecot.conf');

  constructor(readonly version: Version) {
    chmodSync(this.dir, 0o755);
    mkdirSync(path.join(this.dir, 'home'));
    // Mail processes run as nobody.
    chmodSync(path.join(this.dir, 'home'), 0o1777);
  }

  /** Whether this version's doveconf, doveadm and imap are installed; prints why not. */
  static present(version: Version): boolean {
    const { doveconf, doveadm, libexec } = BINARIES[version];
    const present = [doveconf, doveadm, path.join(libexec, 'imap')].every((binary) => existsSync(binary));
    if (!present) console.log(`SKIPPED: no Dovecot ${version} binaries (${doveconf}, ${doveadm}, ${libexec}/imap)`);
    return present;
  }

  /** The base configuration followed by `text`, as written to `file`. */
  write(text: string): string {
    const tree = this.base() + text;
    writeFileSync(this.file, tree);
    return tree;
  }

  /** doveconf -n on the file: its exit status and its errors. */
  doveconf(): { status: number | null; stderr: string } {
    const run = spawnSync(BINARIES[this.version].doveconf, ['-n', '-c', this.file], { encoding: 'utf8' });
    return { status: run.status, stderr: run.stderr };
  }

  /**
   * What the process of a protocol logs. Input and output are files: on a socket (Node's pipes) imap refuses
   * to start ("must not be started from inetd").
   */
  run(protocol: string): string {
    const { doveadm, libexec } = BINARIES[this.version];
    const mail = 'From: a@example.com\nSubject: test\n\nbody\n';
    if (protocol === 'doveadm') return this.spawn(doveadm, ['-c', this.file, 'mailbox', 'list', '-u', 'test'], '');
    if (protocol === 'imap') return this.spawn(path.join(libexec, 'imap'), ['-c', this.file], 'a logout\r\n');
    if (protocol === 'lmtp') return this.spawn(path.join(libexec, 'lmtp'), ['-c', this.file], 'QUIT\r\n');
    if (protocol === 'lda') return this.spawn(path.join(libexec, 'dovecot-lda'), ['-c', this.file, '-d', 'test'], mail);
    throw new Error(`no way to run ${protocol}`);
  }

  private spawn(command: string, args: string[], input: string): string {
    const [inPath, outPath] = [path.join(this.dir, 'input'), path.join(this.dir, 'output')];
    writeFileSync(inPath, input);
    const [inFd, outFd] = [openSync(inPath, 'r'), openSync(outPath, 'w')];
    const env = { ...process.env, USER: 'test', HOME: path.join(this.dir, 'home') };
    try {
      spawnSync(command, args, { env, stdio: [inFd, outFd, outFd], timeout: 20_000 });
    } finally {
      closeSync(inFd);
      closeSync(outFd);
    }
    return readFileSync(outPath, 'utf8');
  }

  private base(): string {
    const dir = this.dir;
    const common = [
      `base_dir = ${dir}/run`,
      'log_path = /dev/stderr',
      'ssl = no',
      'mail_uid = nobody',
      'first_valid_uid = 0',
      'first_valid_gid = 0',
    ];
    if (this.version === '2.3')
      return [
        ...common,
        `mail_location = maildir:${dir}/home/%u/Maildir`,
        `mail_home = ${dir}/home/%u`,
        'userdb {\n  driver = static\n  args = uid=nobody\n}',
        'passdb {\n  driver = static\n  args = nopassword=y\n}',
        '',
      ].join('\n');
    return [
      HEAD_24.trimEnd(),
      ...common,
      'mail_driver = maildir',
      `mail_home = ${dir}/home/%{user}`,
      'mail_path = ~/Maildir',
      'userdb static {\n  fields {\n    uid = nobody\n  }\n}',
      'passdb static {\n  password = x\n}',
      '',
    ].join('\n');
  }
}
