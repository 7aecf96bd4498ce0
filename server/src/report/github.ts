import * as path from 'node:path';
import type { LintDiagnostic } from '../service/analysis/analyzer';
import { ciLevel } from './ruleHelp';

const COMMAND: Record<ReturnType<typeof ciLevel>, string> = { error: 'error', warning: 'warning', note: 'notice' };

/** Workflow-command escaping of the message part. */
const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** Property values also escape the separators of the property list. */
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One `::error file=…,line=…::message` line per diagnostic, paths relative to the base directory. */
export function toGithubCommands(diagnostics: readonly LintDiagnostic[], baseDir: string): string[] {
  return diagnostics.map((diagnostic) => {
    const { start, end } = diagnostic.range;
    const file = path.relative(baseDir, diagnostic.file).split(path.sep).join('/');
    const properties = [
      `file=${escapeProperty(file)}`,
      `line=${start.line + 1}`,
      `col=${start.character + 1}`,
      `endLine=${end.line + 1}`,
      `endColumn=${end.character + 1}`,
      `title=${escapeProperty(`dovecot-lint ${diagnostic.code}`)}`,
    ];
    return `::${COMMAND[ciLevel(diagnostic.level)]} ${properties.join(',')}::${escapeData(diagnostic.message)}`;
  });
}
