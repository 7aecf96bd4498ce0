// import_environment is a string list in 2.4: the 2.3 line `import_environment = TZ NAME=value` is refused
// ("Setting is a string list, use 'import_environment {'", doveconf 2.4.4). Each word becomes an entry of an
// import_environment { } block: a bare name imports the variable (%{env:NAME}, as 2.4's own defaults are
// written), NAME=value sets it. The block adds to 2.4's default entries, where the 2.3 line replaced the list.
import type { MigrationContext } from './context';
import { needsReview, notConverted } from './report';

export const IMPORT_ENVIRONMENT_RULE = 'import-environment';

const KEY = 'import_environment';

/** The value without its quotes; undefined for a quoted value the entries cannot be read from. */
function unquoted(raw: string): string | undefined {
  if (!raw.startsWith('"')) return raw;
  return raw.length >= 2 && raw.endsWith('"') && !raw.includes('\\') ? raw.slice(1, -1) : undefined;
}

/** The entries of a 2.3 value, or undefined when a word is not NAME or NAME=value with a plain value. */
function entriesOf(value: string): [string, string][] | undefined {
  const entries: [string, string][] = [];
  for (const word of value.split(/\s+/).filter((w) => w !== '')) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    const setTo = eq < 0 ? undefined : word.slice(eq + 1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || (setTo !== undefined && /[%${}"\\]/.test(setTo))) return undefined;
    entries.push([name, setTo ?? `%{env:${name}}`]);
  }
  return entries;
}

export function applyImportEnvironment(ctx: MigrationContext): void {
  for (const placed of ctx.liveSettings()) {
    const line = placed.node.range.start.line;
    if (
      placed.frames.length > 0 ||
      ctx.currentKey(placed) !== KEY ||
      ctx.editsOf(placed.file).isReplaced(line) ||
      line !== placed.node.range.end.line ||
      placed.node.valueKind === 'file'
    )
      continue;
    const raw = ctx.currentRawValue(placed);
    const value = unquoted(raw);
    if (value !== undefined && value.trim() === '') continue;
    const at = { file: placed.file, range: placed.node.range };
    const entries = value === undefined ? undefined : entriesOf(value);
    if (!entries) {
      ctx.commentOut(placed.file, placed.node.range, `${KEY} is a list of NAME = value entries in 2.4`);
      notConverted(
        ctx,
        at,
        IMPORT_ENVIRONMENT_RULE,
        `${KEY} = ${raw}: not a list of NAME or NAME=value words 2.4 can take as they are; commented out.`,
        `Write an ${KEY} { NAME = value } block (a variable of Dovecot's environment is %{env:NAME}).`,
      );
      continue;
    }
    ctx.replaceSettingLine(placed, [`${KEY} {`, ...entries.map(([name, setTo]) => `  ${name} = ${setTo}`), '}']);
    needsReview(
      ctx,
      at,
      IMPORT_ENVIRONMENT_RULE,
      `${KEY} = ${raw} became an ${KEY} { } block. In 2.3 the line replaced the whole list; the 2.4 block adds to 2.4's own entries (TZ, PATH, CORE_OUTOFMEM, CORE_ERROR, LISTEN_PID, LISTEN_FDS, NOTIFY_SOCKET, ...), which stay.`,
      `If one of 2.4's entries must not be passed on, write ${KEY} = (empty) above the block: it clears the list first.`,
    );
  }
}
