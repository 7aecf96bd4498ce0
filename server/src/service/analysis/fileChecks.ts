import * as path from 'node:path';
import { displayPath } from '../model/model';
import { readThrough } from '../model/host';
import { DEFAULT_LIMITS, formatSize } from '../model/limits';
import { maskSettingLine } from '../schema/secrets';
import { droppedContinuationMessage } from '../syntax/logicalLines';
import type { AnalysisContext } from './analyzer';
import { unreadableLine24 } from './parser24Checks';

import type { Finding } from './finding';
import type { RuleId } from './rules';

/** Filter findings of the model that follow 2.3's rules. */
const FILTER_CODES_23: ReadonlySet<RuleId> = new Set(['filter-nesting', 'invalid-network-mask']);

/**
 * Parser and include-graph findings collected while the model was built: those of the version the tree
 * is read as, and those of both. Dovecot 2.3 reports them as they are; 2.4 as modelFindings24 says.
 */
export function modelFindings(context: AnalysisContext): Finding[] {
  const { version } = context.schema;
  // A model problem code is a rule id of the same name; the Finding type makes sure every one has its rule.
  return context.model.findings
    .filter((finding) => finding.data?.dialect === undefined || finding.data.dialect === version)
    .filter((finding) => version !== '2.3' || !oldAuthSectionLeftOpen(context, finding))
    .map(quoteDroppedContinuation);
}

/**
 * Dovecot 2.3 reads a top-level `auth {` block as the old form of auth_ settings and opens no section for it
 * (old_settings_handle@2.3.19): one left open at the end is no `Missing '}'`.
 */
function oldAuthSectionLeftOpen(context: AnalysisContext, finding: Finding): boolean {
  if (finding.code !== 'missing-close-brace') return false;
  const file = context.model.files.get(finding.file);
  if (!file || file.entryFrames.length > 0) return false;
  return file.parsed.statements.some(
    (statement) =>
      statement.kind === 'section' &&
      statement.type === 'auth' &&
      statement.headerRange.start.line === finding.range.start.line,
  );
}

/** The text a dropped continuation held goes into the message with its secrets masked, and not into the data. */
function quoteDroppedContinuation(finding: Finding): Finding {
  const dropped = finding.data?.dropped;
  if (typeof dropped !== 'string') return finding;
  const { dropped: _dropped, ...data } = finding.data ?? {};
  return {
    ...finding,
    message: droppedContinuationMessage(maskSettingLine(dropped)),
    data: Object.keys(data).length > 0 ? data : undefined,
  };
}

/** The errors of a line doveconf cannot read at all. */
const LINE_ERRORS: ReadonlySet<RuleId> = new Set(['expecting-brace', 'garbage-after-brace', 'unknown-escape']);

/**
 * Dovecot 2.4 first reads the root file up to its first readable line, which must be dovecot_config_version,
 * passing over the lines it cannot read (config_parse@2.4.4): the number of root lines before that one, none
 * for a fragment (no version is looked for).
 */
function linesBeforeVersionRead24(context: AnalysisContext): number {
  if (context.fragment) return 0;
  const statements = context.model.files.get(context.model.root)?.parsed.statements ?? [];
  return statements.find((statement) => !unreadableLine24(statement))?.range.start.line ?? Infinity;
}

/** The model's findings as Dovecot 2.4 reports them; parser24Checks makes 2.4's own filter findings. */
export function modelFindings24(context: AnalysisContext): Finding[] {
  const beforeVersion = linesBeforeVersionRead24(context);
  return (
    modelFindings(context)
      .filter((finding) => !FILTER_CODES_23.has(finding.code))
      .filter(
        (finding) =>
          !(
            LINE_ERRORS.has(finding.code) &&
            finding.file === context.model.root &&
            finding.range.start.line < beforeVersion
          ),
      )
      // 2.4 reads `= value` as a setting with an empty name (config_parse_line@2.4.4).
      .map((finding): Finding =>
        finding.code === 'missing-key'
          ? { ...finding, code: 'unknown-setting', message: ': Unknown setting: ' }
          : finding,
      )
      // 2.4 names the file as it opened it, relative to the root's directory (settings_include@2.4.4).
      .map((finding): Finding =>
        finding.code === 'include-recursive' && typeof finding.data?.target === 'string'
          ? { ...finding, message: `Recursive include file: ${displayPath(context.model.root, finding.data.target)}` }
          : finding,
      )
  );
}

/** A `<file` value that names a directory: the config service opens it, and its read() fails (str_append_file). */
function directoryValueMessage(key: string, what: string): string {
  return `${key}: ${what}: Dovecot's config service fails at start with "${key}: read(…) failed: Is a directory".`;
}

/**
 * `key = <file` whose file is missing: doveconf -n does not read it, the config service does (FACTS §1.6).
 * A FIFO or device there would block the config service; a file past the size limit is not read here.
 */
export function fileValueChecks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  const maxBytes = context.limits?.fileBytes ?? DEFAULT_LIMITS.fileBytes;
  for (const { node, file } of context.model.settings) {
    if (node.valueKind !== 'file') continue;
    const finding = (code: RuleId, message: string): void =>
      void findings.push({ code, file, range: node.valueRange, message });
    if (node.value === '') {
      finding(
        'file-not-regular',
        directoryValueMessage(node.key, '"<" names no file, so Dovecot reads the directory of this file'),
      );
      continue;
    }
    const target = path.resolve(path.dirname(file), node.value);
    // A zero-byte limit reads nothing: it only tells what the path is and how large it is.
    const probe = readThrough(context.host, target, 0);
    if (probe.kind === 'directory') {
      finding('file-not-regular', directoryValueMessage(node.key, `${node.value} is a directory`));
    } else if (probe.kind === 'not-regular') {
      finding(
        'file-not-regular',
        `${node.key}: ${node.value} is not a regular file (${probe.what}): Dovecot's config service would block or never finish reading it at start. dovecot-lint does not read it.`,
      );
    } else if (probe.kind === 'too-large' && probe.size > maxBytes) {
      finding(
        'analysis-limit',
        `${node.key}: ${node.value} is larger than ${formatSize(maxBytes)}: dovecot-lint does not read it.`,
      );
    } else if (probe.kind === 'unreadable' && !context.host.isFile(target)) {
      finding(
        'file-value-missing',
        `${node.key}: file ${node.value} does not exist here; Dovecot's config service fails with "${node.key}: Can't open file ${node.value}: No such file or directory" if it is missing on the server too.`,
      );
    }
  }
  return findings;
}
