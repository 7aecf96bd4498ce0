// A block whose header Dovecot rejects before any line of its file that 2.4 can read (`service a b {` on
// line 1, or after a quoted value with an unknown escape only): the
// parser reads its lines as a Dovecot 2.4 root reads them before its version line, which passes over the
// header alone (config_parse@2.4.4). Everywhere else Dovecot stops at the header (2.3, an included file, a
// piece of a configuration), and the findings on the block's lines and its `}` are errors that fixing the
// header removes: they are left out, as for a rejected header further down (syntax/parser.ts).
import type { ConfigModel } from '../model/model';
import { hasUnknownEscape24 } from '../syntax/parser';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';

/** The passed-over lines of each file, by file. */
function passedOverLines(model: ConfigModel): Map<string, { first: number; last: number }> {
  const lines = new Map<string, { first: number; last: number }>();
  for (const [file, { parsed }] of model.files) {
    // Only lines a 2.4 root cannot read come before such a block.
    for (const statement of parsed.statements) {
      if (statement.kind !== 'invalid' && !(statement.kind === 'setting' && hasUnknownEscape24(statement))) break;
      if (statement.kind === 'invalid' && statement.passedOver) {
        lines.set(file, statement.passedOver);
        break;
      }
    }
  }
  return lines;
}

/** The findings without those on the lines of a block Dovecot passes over with its rejected header. */
export function withoutPassedOverBlocks(findings: Finding[], context: AnalysisContext): Finding[] {
  const lines = passedOverLines(context.model);
  if (lines.size === 0) return findings;
  if (context.schema.version === '2.4' && !context.fragment) lines.delete(context.model.root);
  if (lines.size === 0) return findings;
  return findings.filter((finding) => {
    const passed = lines.get(finding.file);
    const line = finding.range.start.line;
    return !passed || line < passed.first || line > passed.last;
  });
}
