import type { QuickFixProvider, QuickFixTable } from './quickFix';
import { isRenamed23, withConversionFix } from './conversionFixes';
import { MAIL_PLUGIN_FIXES } from './mailPluginFixes';
import { obsoleteSettingFixes } from './obsoleteFixes';
import { REPLICATION_FIXES } from './replicationFixes';
import { unknownSettingFixes } from './schemaFixes';
import { VARIABLE_FIXES } from './variableFixes';
import { VERSION_24_FIXES, writeReplacement } from './version24Fixes';

/** unknown-setting: the conversion's rewrite only for a 2.3 name (never for a misspelling, which the conversion would comment out). */
const unknownOrRenamed: QuickFixProvider = (context) =>
  isRenamed23(context) ? withConversionFix(unknownSettingFixes, () => true)(context) : unknownSettingFixes(context);

/** Every rule's quick fixes, gathered from the fix modules of each rule family. */
export const QUICK_FIXES: QuickFixTable = {
  'unknown-setting': unknownOrRenamed,
  'obsolete-setting': obsoleteSettingFixes,
  ...VERSION_24_FIXES,
  ...VARIABLE_FIXES,
  ...REPLICATION_FIXES,
  ...MAIL_PLUGIN_FIXES,
  'mode-read-as-decimal': writeReplacement,
  // 2.3 constructs in a 2.4 or mixed tree: what "Convert to Dovecot 2.4…" writes there.
  'removed-in-2.4': withConversionFix(unknownSettingFixes, () => true),
  'variable-syntax-23': withConversionFix(VERSION_24_FIXES['variable-syntax-23'], () => false),
  'replication-removed-in-2.4': withConversionFix(undefined, () => true),
  'setting-variable-23': withConversionFix(undefined, () => true),
  'mixed-dialect': withConversionFix(undefined, () => true),
};
