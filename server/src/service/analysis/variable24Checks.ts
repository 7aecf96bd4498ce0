// 2.3-style `%u` variables in a Dovecot 2.4 configuration. doveconf 2.4 parses only values that
// contain `%{`, and its expander keeps `%` followed by anything else as literal text, so `%u` silently
// becomes the two characters "%u" (src/lib-var-expand/var-expand-lexer.l@2.4.4).
import { findSetting } from '../schema/schema';
import { findSetting24, renamedIn24, resolveInBlocks24, setExpansionError } from '../schema/schema24';
import { isSecretSetting } from '../schema/secrets';
import { shortVariablesOf } from '../schema/settingVariables24';
import { checkText24 } from '../schema/valueCheck24';
import { shortVariables23 } from '../schema/varExpand24';
import type { Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';
import { isKeyVariableValue, keyVariableTexts } from '../syntax/valueWords';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';
import { setPathError } from './setPath24';

/** Settings whose value is a strftime() format (their 2.4 default has `%` without `{`, e.g. log_timestamp). */
function isStrftimeSetting(name: string): boolean {
  const defaultValue = findSetting24(name)?.default ?? '';
  return shortVariables23(defaultValue).length > 0 || /%[A-Za-z]/.test(defaultValue.replace(/%\{[^}]*\}/g, ''));
}

/**
 * Settings read as a hash format (`%{sha1}`, hash_format_init()), never expanded with variables in 2.3 or 2.4:
 * a `%u` there is the format's own error (doveconf: `No '{' after '%'`), not a variable 2.4 keeps.
 */
const HASH_FORMATS: ReadonlySet<string> = new Set(['mail_ext_attachment_hash']);

export function variable24Checks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const { node, file, frames } of context.model.settings) {
    if (node.valueKind === 'file' || !node.value.includes('%')) continue;
    const renamed = renamedIn24(node.key)?.replacement;
    const info = resolveInBlocks24(frames, node.key) ?? (renamed === undefined ? undefined : findSetting24(renamed));
    if (info && isStrftimeSetting(info.name)) continue;
    if (info && HASH_FORMATS.has(info.name)) continue;
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
function literalVariableFinding(node: SettingNode, name: string): Omit<Finding, 'file' | 'range'> | undefined {
  if (name.startsWith('ENV:') || isSecretSetting(node.key, '2.4') || !isSettingName(name)) return undefined;
  return { code: 'setting-variable-23', message: literalVariableMessage(node.key, node.value, name) };
}

/**
 * `$SET:name` of another setting that Dovecot 2.4 cannot expand: doveconf -n leaves such a reference alone,
 * but the config process expands every one while it reads the configuration at start (as doveconf -x and -F
 * do; config_global_reload@2.4.4) and stops.
 */
function setReferenceFinding(
  context: AnalysisContext,
  entry: Placed<SettingNode>,
  name: string,
): Omit<Finding, 'file' | 'range'> | undefined {
  const { node, frames } = entry;
  if (name === node.key || node.template) return undefined;
  // In a boolean list doveconf -n already stops at `$SET:` (set-variable-error).
  if (name === '' && resolveInBlocks24(frames, node.key)?.type === 'boollist') return undefined;
  const error = name.includes('/')
    ? setPathError(context.model, entry, name, context.fragment === true)
    : setExpansionError(name);
  if (error === undefined) return undefined;
  return {
    code: 'set-variable-fails-at-start',
    message: `${error}: doveconf -n accepts this line, but Dovecot expands $SET: when it starts (as doveconf -x does) and stops here.`,
  };
}

/** The `$` words of Dovecot 2.4 values, in one pass: a 2.3-style `$name`, a `$SET:` Dovecot cannot expand. */
export function dollarWord24Checks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const entry of context.model.settings) {
    const { node, file } = entry;
    for (const variable of node.variables) {
      const { name } = variable;
      const found = name.startsWith('SET:')
        ? setReferenceFinding(context, entry, name.slice('SET:'.length))
        : literalVariableFinding(node, name);
      if (found) findings.push({ ...found, file, range: variable.range });
    }
  }
  return findings;
}

/**
 * A `$SET:` or `$ENV:` that does not begin a word (`x<tab>$SET:name`: only a space separates words) is kept as
 * text. doveconf -n checks no value holding one, but Dovecot expands such a line when it starts (as doveconf
 * -x does) and checks the text it keeps as the setting's type (config_write_keyvariable and
 * setting_value_can_check@2.4.4). Judged when no word begins with one: that text is then the value.
 */
export function variableText24Checks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const { node, file, frames } of context.model.settings) {
    if (node.valueKind === 'file' || node.template || !isKeyVariableValue(node.rawValue)) continue;
    if (!/\$(SET|ENV):/.test(node.value) || node.value.includes('%{')) continue;
    if (keyVariableTexts(node.rawValue).some((word) => /^\$(SET|ENV):/.test(word))) continue;
    const info = resolveInBlocks24(frames, node.key);
    const error = info && checkText24(info, node.value);
    if (error === undefined) continue;
    findings.push({
      code: 'variable-text-fails-at-start',
      file,
      range: node.valueRange,
      message: `${node.key}: ${error}: doveconf -n accepts this line, but a $SET: or $ENV: that does not begin a word (after a tab, or inside one) is kept as text, which Dovecot checks when it starts (as doveconf -x does) and stops here.`,
    });
  }
  return findings;
}
