import type { QuickFixTable } from './quickFix';
import { obsoleteSettingFixes } from './obsoleteFixes';
import { REPLICATION_FIXES } from './replicationFixes';
import { unknownSettingFixes } from './schemaFixes';
import { VERSION_24_FIXES } from './version24Fixes';

/** Every rule's quick fixes, gathered from the fix modules of each rule family. */
export const QUICK_FIXES: QuickFixTable = {
  'unknown-setting': unknownSettingFixes,
  'obsolete-setting': obsoleteSettingFixes,
  'removed-in-2.4': unknownSettingFixes,
  ...VERSION_24_FIXES,
  ...REPLICATION_FIXES,
};
