import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { HELPER_NICE, lowerHelperThreads } from '../server/src/helperThreads';
import { fileUri, startServerOnTree } from './helpers/lspClient';

/** Each thread of process `pid` and its nice value, from Linux's /proc. */
function niceByThread(pid: number): Map<number, number> {
  const nice = new Map<number, number>();
  for (const name of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${name}/stat`, 'utf8');
    // After the command name in parentheses: state is field 3, nice field 19.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    nice.set(Number(name), Number(fields[16]));
  }
  return nice;
}

const noProc = !existsSync('/proc/self/task') && 'no /proc (not Linux)';

describe('the language server helper threads', () => {
  it(
    'run at a lower priority once the server has analysed a tree, its main thread at the normal one',
    { skip: noProc },
    async () => {
      const server = await startServerOnTree('dovecot-threads-', 'mail_debug = maybe\n');
      try {
        const uri = fileUri(server.mailFile);
        const analysed = server.client.waitFor(
          'textDocument/publishDiagnostics',
          (params) => params.uri === uri && params.diagnostics.length > 0,
        );
        server.client.notify('textDocument/didOpen', {
          textDocument: { uri, languageId: 'dovecot', version: 1, text: readFileSync(server.mailFile, 'utf8') },
        });
        await analysed;
        const nice = niceByThread(server.pid);
        assert.equal(nice.get(server.pid), 0, 'the main thread');
        const helpers = [...nice].filter(([thread]) => thread !== server.pid);
        assert.ok(HELPER_NICE > 0);
        assert.ok(helpers.length > 0, 'Node runs helper threads');
        assert.deepEqual(
          helpers.filter(([, value]) => value !== HELPER_NICE),
          [],
          `helper threads not at nice ${HELPER_NICE}`,
        );
      } finally {
        await server.dispose();
      }
    },
  );

  it('are left alone on systems other than Linux', () => {
    assert.equal(lowerHelperThreads('darwin'), 0);
    assert.equal(lowerHelperThreads('win32'), 0);
  });
});
