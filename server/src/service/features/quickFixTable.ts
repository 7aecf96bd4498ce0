import type { QuickFixTable } from './quickFix';
import { obsoleteSettingFixes } from './obsoleteFixes';
import { REPLICATION_FIXES } from './replicationFixes';
import { unknownSettingFixes } from './schemaFixes';

/** Every rule's quick fixes, gathered from the fix modules of each rule family. */
export const QUICK_FIXES: QuickFixTable = {
  'unknown-setting': unknownSettingFixes,
  'obsolete-setting': obsoleteSettingFixes,
  ...REPLICATION_FIXES,
};
