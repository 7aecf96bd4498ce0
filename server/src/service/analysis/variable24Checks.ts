// 2.3-style `%u` variables in a Dovecot 2.4 configuration. doveconf 2.4 parses only values that
// contain `%{`, and its expander keeps `%` followed by anything else as literal text, so `%u` silently
// becomes the two characters "%u" (src/lib-var-expand/var-expand-lexer.l@2.4.4).
import { findSetting } from '../schema/schema';
import { findSetting24, resolveInFilter24, setExpansionError } from '../schema/schema24';
import { isSecretSetting } from '../schema/secrets';
import { shortVariablesOf } from '../schema/settingVariables24';
import { shortVariables23 } from '../schema/varExpand24';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';

/** Settings whose value is a strftime() format (their 2.4 default has `%` without `{`, e.g. log_timestamp). */
function isStrftimeSetting(name: string): boolean {
  const defaultValue = findSetting24(name)?.default ?? '';
  return shortVariables23(defaultValue).length > 0 || /%[A-Za-z]/.test(defaultValue.replace(/%\{[^}]*\}/g, ''));
}

export function variable24Checks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const { node, file, frames } of context.model.settings) {
    if (node.valueKind === 'file' || !node.value.includes('%')) continue;
    const info = resolveInFilter24(
      frames.map((frame) => frame.section.type),
      node.key,
      frames.map((frame) => frame.section.name),
    );
    if (info && isStrftimeSetting(info.name)) continue;
    const offsetInRaw = node.rawValue.length - node.value.length;
    for (const found of shortVariables23(node.value, shortVariablesOf(info?.name ?? node.key))) {
      const start =
        node.valueRange.start.line === node.valueRange.end.line
          ? node.valueRange.start.character + Math.max(0, offsetInRaw > 0 ? 1 : 0) + found.offset
          : node.valueRange.start.character;
      findings.push({
        code: 'variable-syntax-23',
        file,
        range: {
          start: { line: node.valueRange.start.line, character: start },
          end: { line: node.valueRange.start.line, character: start + found.text.length },
        },
        message: `${found.text} is a Dovecot 2.3 variable: 2.4 keeps it as the literal text "${found.text}". Write ${found.replacement}.`,
        data: { replacement: found.replacement, text: found.text },
      });
    }
  }
  return findings;
}

/** A name 2.3's `$name` reads: a setting of 2.4, or one of 2.3 as a 2.3 configuration writes it. */
function isSettingName(name: string): boolean {
  return findSetting24(name) !== undefined || findSetting('', name) !== undefined;
}

function literalVariableMessage(key: string, value: string, name: string): string {
  const literal = `$${name} is how Dovecot 2.3 reads a setting: 2.4 expands only $SET:name and $ENV:NAME and keeps "$${name}" as literal text`;
  if (findSetting24(key)?.type !== 'boollist') return `${literal}. Write $SET:${name}.`;
  const element = value.split(/[ \t]+/).find((word) => word !== '' && !word.startsWith('$')) ?? 'NAME';
  const stops = key === 'mail_plugins' ? `, and mail processes stop with "Plugin '$${name}' not found"` : '';
  return `${literal}: ${key} gets an element named "$${name}"${stops}. Add to the list with a block: ${key} { ${element} = yes }.`;
}

/**
 * `$name` naming a setting in a Dovecot 2.4 value: 2.4 expands `$SET:` and `$ENV:` only and appends any other
 * `$word` as written (config_write_keyvariable@2.4.4); doveconf accepts it. A secret's value is left alone.
 */
export function settingVariable24Checks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const { node, file } of context.model.settings) {
    if (node.variables.length === 0 || isSecretSetting(node.key, '2.4')) continue;
    for (const variable of node.variables) {
      const { name } = variable;
      if (name.startsWith('SET:') || name.startsWith('ENV:') || !isSettingName(name)) continue;
      findings.push({
        code: 'setting-variable-23',
        file,
        range: variable.range,
        message: literalVariableMessage(node.key, node.value, name),
      });
    }
  }
  return findings;
}

/**
 * `$SET:path/name` whose path starts with a setting that is no filter (`$SET:mail_home/Maildir`): the name runs
 * to the next space, and no filter is ever found at that path. Other paths depend on the filters read
 * before the line (`$SET:service/auth/...`) and are not judged.
 */
function pathExpansionError(name: string): string | undefined {
  const filterPath = name.slice(0, name.lastIndexOf('/'));
  const first = findSetting24(filterPath.split('/')[0]);
  if (!first || first.type === 'filter' || first.type === 'filter_list') return undefined;
  return `Failed to expand $SET:${name}: Unknown filter path: ${filterPath}`;
}

/**
 * `$SET:name` of another setting that Dovecot 2.4 cannot expand: doveconf -n leaves such a reference alone,
 * but the config process expands every one while it reads the configuration at start (as doveconf -x and -F
 * do; config_global_reload@2.4.4) and stops.
 */
export function setReference24Checks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const { node, file } of context.model.settings) {
    if (node.variables.length === 0 || node.template) continue;
    for (const variable of node.variables) {
      if (!variable.name.startsWith('SET:')) continue;
      const name = variable.name.slice(4);
      if (name === node.key) continue;
      const error = name.includes('/') ? pathExpansionError(name) : setExpansionError(name);
      if (error === undefined) continue;
      findings.push({
        code: 'set-variable-fails-at-start',
        file,
        range: variable.range,
        message: `${error}: doveconf -n accepts this line, but Dovecot expands $SET: when it starts (as doveconf -x does) and stops here.`,
      });
    }
  }
  return findings;
}
