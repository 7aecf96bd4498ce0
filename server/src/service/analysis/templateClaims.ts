import type { ConfigModel } from '../model/model';
import type { Statement } from '../syntax/nodes';
import { rangesOverlap, rangeWithin } from '../syntax/ranges';
import type { Finding } from './finding';
import type { RuleId } from './rules';

/** Rules that relate two statements: one of them in a template condition may not be rendered at all. */
const RELATIONAL_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'duplicate-auth-block-name',
  'duplicate-listener',
  'duplicate-service-name',
  'global-after-filter',
]);

/** The statements of a parsed file, depth first, without recursion. */
function* statementsOf(statements: readonly Statement[]): Generator<Statement> {
  const pending = [...statements].reverse();
  while (pending.length > 0) {
    const statement = pending.pop() as Statement;
    yield statement;
    if (statement.kind === 'section') pending.push(...[...statement.children].reverse());
  }
}

/** Whether a finding is about text a template decides: an expression, or a statement whose name is one. */
function isTemplateClaim(finding: Finding, model: ConfigModel): boolean {
  const parsed = model.files.get(finding.file)?.parsed;
  if (!parsed?.templateExpressions) return false;
  if (parsed.templateExpressions.some((expression) => rangesOverlap(expression, finding.range))) return true;
  for (const statement of statementsOf(parsed.statements)) {
    if (statement.kind === 'close' || !statement.template || !rangeWithin(finding.range, statement.range)) continue;
    if (statement.template.key) return true;
    if (statement.template.conditional && RELATIONAL_RULES.has(finding.code)) return true;
  }
  return false;
}

/** Rules that judge the values the whole tree ends with (doveconf's checks once it is read). */
const WHOLE_TREE_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'settings-check',
  'mail-plugin-dependency-missing',
  'mail-plugin-for-other-program',
]);

/**
 * A template decides part of what the tree ends with: an include whose files it names, or a statement in a
 * template condition, may set or leave out what a whole-tree check reads.
 */
function templateDecidesTree(model: ConfigModel): boolean {
  if (model.includes.some((edge) => edge.node.template)) return true;
  for (const file of model.files.values()) {
    if (file.parsed.templateExpressions === undefined) continue;
    for (const statement of statementsOf(file.parsed.statements))
      if (statement.kind !== 'close' && statement.template?.conditional) return true;
  }
  return false;
}

/**
 * Drops the findings that claim something about what a Jinja2/Go template decides when it is
 * rendered; mistakes in the text around template parts are kept.
 */
export function withoutTemplateClaims(findings: Finding[], model: ConfigModel): Finding[] {
  const hasTemplates = [...model.files.values()].some((file) => file.parsed.templateExpressions !== undefined);
  if (!hasTemplates) return findings;
  const wholeTreeUnknown = templateDecidesTree(model);
  return findings.filter(
    (finding) => !(wholeTreeUnknown && WHOLE_TREE_RULES.has(finding.code)) && !isTemplateClaim(finding, model),
  );
}
