// "Convert this tree to 2.4…": offered on the files of a tree that is written for 2.3 while 2.4 is the
// target (the `dovecot.version` setting or the project file's `dovecotVersion` says 2.4), or that mixes
// both. The action runs the editor's conversion command, which previews before anything is written.
import type { TreeAnalysis } from '../languageService';
import { decideDialect, type VersionSetting } from '../model/dialect';

export interface MigrationOffer {
  title: string;
  /** Why it is offered, for the action's tooltip. */
  reason: string;
}

/** The offer for this tree, or undefined when it already reads as 2.4 or nothing says 2.4 is wanted. */
export function migrationOffer(analysis: TreeAnalysis, target: VersionSetting): MigrationOffer | undefined {
  const written = decideDialect(analysis.model, 'auto').dialect;
  if (written === '2.4') return undefined;
  if (written === 'mixed')
    return { title: 'Convert this tree to 2.4…', reason: 'the configuration mixes Dovecot 2.3 and 2.4 constructs' };
  if (target === '2.4')
    return {
      title: 'Convert this tree to 2.4…',
      reason: 'Dovecot 2.4 is the target, and this configuration is written for 2.3',
    };
  return undefined;
}
