// Quick fixes for Dovecot 2.4 trees: the two settings every 2.4 configuration needs first, the 2.4 form
// of a 2.3 `%u` variable, and a Sieve extension 2.4 no longer has taken out of its list.
import type { QuickFixProvider, QuickFixTable } from './quickFix';

const LATEST_24 = '2.4.4';

/** `The first setting must be dovecot_config_version`: insert it as the first line of the root file. */
const insertConfigVersion: QuickFixProvider = (context) => {
  if (context.file !== context.analysis.root) return [];
  return [
    {
      title: `Insert 'dovecot_config_version = ${LATEST_24}' at the top`,
      edits: {
        [context.file]: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            newText: `dovecot_config_version = ${LATEST_24}\n`,
          },
        ],
      },
      isPreferred: true,
    },
  ];
};

/** `dovecot_storage_version setting must be set`: add it after dovecot_config_version. */
const insertStorageVersion: QuickFixProvider = (context) => {
  const data = (context.diagnostic.data ?? {}) as { insertAfterLine?: unknown; version?: unknown };
  const after = typeof data.insertAfterLine === 'number' ? data.insertAfterLine : -1;
  const version = typeof data.version === 'string' ? data.version : LATEST_24;
  const at = { line: after + 1, character: 0 };
  return [
    {
      title: `Add 'dovecot_storage_version = ${version}'`,
      edits: { [context.file]: [{ range: { start: at, end: at }, newText: `dovecot_storage_version = ${version}\n` }] },
      isPreferred: true,
    },
  ];
};

/** `%d` → `%{user | domain}`, `doveadm_proxy_port` → `doveadm_port`, `mode = 666` → `0666`: writes the replacement over the range reported. */
export const writeReplacement: QuickFixProvider = (context) => {
  const data = (context.diagnostic.data ?? {}) as { replacement?: unknown };
  if (typeof data.replacement !== 'string') return [];
  return [
    {
      title: `Write '${data.replacement}'`,
      edits: { [context.file]: [{ range: context.diagnostic.range, newText: data.replacement }] },
      isPreferred: true,
    },
  ];
};

/**
 * `imapflags = yes` in a `sieve_extensions { }` block: the line goes and the rest of the list stays. A
 * `sieve_extensions = a b` value gets no fix: what the list holds without the word depends on the rest.
 */
const removeSieveExtension: QuickFixProvider = (context) => {
  const data = (context.diagnostic.data ?? {}) as { extension?: unknown; list?: unknown; inBlock?: unknown };
  if (typeof data.extension !== 'string' || typeof data.list !== 'string' || data.inBlock !== true) return [];
  const { start, end } = context.diagnostic.range;
  const range = { start: { line: start.line, character: 0 }, end: { line: end.line + 1, character: 0 } };
  return [
    {
      title: `Remove '${data.extension}' from ${data.list}`,
      edits: { [context.file]: [{ range, newText: '' }] },
      isPreferred: true,
    },
  ];
};

export const VERSION_24_FIXES: QuickFixTable = {
  'sieve-extension-removed': removeSieveExtension,
  'config-version-missing': insertConfigVersion,
  'storage-version-missing': insertStorageVersion,
  'variable-syntax-23': writeReplacement,
  'setting-aborts-dovecot': writeReplacement,
};
