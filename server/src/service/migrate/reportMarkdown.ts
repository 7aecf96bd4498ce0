// The migration report for the admin, as Markdown: what needs them first, then what to check, then what
// was converted, each entry with `file:line` of the construct in the original tree (relative to the
// root's folder), so an editor can link it.
import { displayPath } from '../model/model';
import type { MigrationReportEntry, MigrationResult } from './types';

const SECTIONS: { kind: MigrationReportEntry['kind']; heading: string; intro: string }[] = [
  {
    kind: 'not-converted',
    heading: 'Needs you',
    intro:
      'Not converted: Dovecot 2.4 has no direct equivalent, or the value cannot be read here. Each says what to do.',
  },
  {
    kind: 'needs-review',
    heading: 'Check these',
    intro: 'Converted, but the result depends on something only you know (the server, the mail store, the other host).',
  },
  { kind: 'converted', heading: 'Converted', intro: 'Rewritten the way Dovecot 2.4 expects, with the same effect.' },
];

/** `conf.d/10-mail.conf:12`: where an entry's construct is in the original tree (1-based line). */
export function entryPlace(root: string, entry: MigrationReportEntry): string {
  return `${displayPath(root, entry.file)}:${entry.range.start.line + 1}`;
}

/** Backticks inside inline code would end it early: a message quotes configuration text as it is. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function entryLine(root: string, entry: MigrationReportEntry): string {
  const action = entry.action ? ` **What to do:** ${oneLine(entry.action)}` : '';
  return `- \`${entryPlace(root, entry)}\` ${oneLine(entry.message)}${action}`;
}

function sortedByPlace(
  root: string,
  entries: MigrationReportEntry[],
  fileOrder: Map<string, number>,
): MigrationReportEntry[] {
  return [...entries].sort(
    (a, b) =>
      (fileOrder.get(a.file) ?? Number.MAX_SAFE_INTEGER) - (fileOrder.get(b.file) ?? Number.MAX_SAFE_INTEGER) ||
      displayPath(root, a.file).localeCompare(displayPath(root, b.file)) ||
      a.range.start.line - b.range.start.line,
  );
}

function summaryLine(result: MigrationResult): string {
  const count = (kind: MigrationReportEntry['kind']): number =>
    result.report.filter((entry) => entry.kind === kind).length;
  const changed = result.files.filter((file) => file.changed).length;
  const files = `${changed} of ${result.files.length} file${result.files.length === 1 ? '' : 's'} changed`;
  const verdict = result.complete
    ? 'Everything was converted.'
    : `${count('not-converted')} item${count('not-converted') === 1 ? '' : 's'} need${count('not-converted') === 1 ? 's' : ''} you before this configuration can run on Dovecot 2.4.`;
  return `${verdict} ${files}; ${count('converted')} converted, ${count('needs-review')} to check.`;
}

/** The whole report. `root` is the converted root file; paths are shown relative to its folder. */
export function renderReportMarkdown(root: string, result: MigrationResult): string {
  const fileOrder = new Map(result.files.map((file, index) => [file.path, index]));
  const lines = [
    `# Converting ${displayPath(root, root)} to Dovecot ${result.target}`,
    '',
    summaryLine(result),
    '',
    'Nothing has been written yet: the converted files are shown beside the originals.',
  ];
  for (const section of SECTIONS) {
    const entries = result.report.filter((entry) => entry.kind === section.kind);
    if (entries.length === 0) continue;
    lines.push('', `## ${section.heading} (${entries.length})`, '', section.intro, '');
    for (const entry of sortedByPlace(root, entries, fileOrder)) lines.push(entryLine(root, entry));
  }
  const changed = result.files.filter((file) => file.changed).map((file) => `\`${displayPath(root, file.path)}\``);
  const unchanged = result.files.filter((file) => !file.changed).map((file) => `\`${displayPath(root, file.path)}\``);
  lines.push('', '## Files', '');
  if (changed.length > 0) lines.push(`- changed: ${changed.join(', ')}`);
  if (unchanged.length > 0) lines.push(`- unchanged: ${unchanged.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
