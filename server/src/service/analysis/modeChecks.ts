// A mode written without a leading 0 is a decimal number to Dovecot (get_octal() in settings-parser.c,
// 2.3.19 and 2.4.4): `mode = 666` is the mode 01232, and Dovecot creates the socket `s-w--wx-w-`, which no
// client can read. doveconf accepts it.
import type { CheckedVersion } from '../model/dialect';
import { contextOf, type Placed } from '../model/model';
import { allSettings, findSetting } from '../schema/schema';
import { allSettings24, resolveInBlocks24 } from '../schema/schema24';
import type { SettingNode } from '../syntax/nodes';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';

const PERMISSION_LETTERS = 'rwxrwxrwx';

/** `ls -l`'s letters for the permission bits of a mode (`-w--wx-w-` for 0232). */
function permissionLetters(mode: number): string {
  return [...PERMISSION_LETTERS].map((letter, bit) => ((mode >> (8 - bit)) & 1 ? letter : '-')).join('');
}

/** A value written as an octal mode without its leading 0, which Dovecot reads as another, decimal number. */
export function modeReadAsDecimal(written: string): number | undefined {
  return /^[1-7][0-7]+$/.test(written) ? Number(written) : undefined;
}

/**
 * The keys that can name a setting of octal type: each octal setting's name and what is left of it without a
 * section's prefix (`unix_listener_mode` is `mode` inside a `unix_listener`). Most lines are passed over by it.
 */
const octalKeysByVersion = new Map<CheckedVersion, ReadonlySet<string>>();

function octalKeysOf(version: CheckedVersion): ReadonlySet<string> {
  const keys = octalKeysByVersion.get(version);
  if (keys) return keys;
  const settings: readonly { name: string; type: string; aliasOf?: string }[] =
    version === '2.3' ? allSettings() : allSettings24();
  const octalNames = new Set(settings.filter((setting) => setting.type === 'octal').map((setting) => setting.name));
  const found = new Set<string>();
  for (const { name, aliasOf } of settings)
    if (octalNames.has(name) || (aliasOf !== undefined && octalNames.has(aliasOf))) addSuffixes(found, name);
  octalKeysByVersion.set(version, found);
  return found;
}

/** A name and each part of it after an `_`. */
function addSuffixes(into: Set<string>, name: string): void {
  for (let suffix = name; ; suffix = suffix.slice(suffix.indexOf('_') + 1)) {
    into.add(suffix);
    if (!suffix.includes('_')) return;
  }
}

function isOctalSetting(entry: Placed<SettingNode>, version: CheckedVersion): boolean {
  const { node, frames } = entry;
  if (version === '2.3') return findSetting(contextOf(frames), node.key)?.type === 'octal';
  return resolveInBlocks24(frames, node.key)?.type === 'octal';
}

/** `mode = 666` and the like in a setting of octal type (a listener's mode, 2.4's fs_posix_mode). */
export function modeChecks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  const version = context.schema.version;
  const octalKeys = octalKeysOf(version);
  for (const entry of context.model.settings) {
    const { node } = entry;
    if (!octalKeys.has(node.key) || node.template || (node.valueKind !== 'plain' && node.valueKind !== 'quoted'))
      continue;
    const decimal = modeReadAsDecimal(node.value);
    if (decimal === undefined || !isOctalSetting(entry, version)) continue;
    const octal = `0${decimal.toString(8)}`;
    findings.push({
      code: 'mode-read-as-decimal',
      file: entry.file,
      range: node.valueRange,
      message: `Dovecot reads ${node.key} = ${node.value} as the decimal number ${decimal}, which is the mode ${octal} (permissions ${permissionLetters(decimal)}): a mode is octal only when it starts with 0. Write ${node.key} = 0${node.value}.`,
      data: { replacement: `0${node.value}` },
    });
  }
  return findings;
}
