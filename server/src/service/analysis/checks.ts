import type { CheckedVersion } from '../model/dialect';
import type { NamedCheck } from './analyzer';
import { dialectChecks } from './dialectChecks';
import { dictEntryChecks } from './dictEntries23';
import { fileValueChecks, modelFindings, modelFindings24 } from './fileChecks';
import { mailPluginDependencyChecks } from './mailPluginDependencies';
import { mailPluginProgramChecks } from './mailPluginPrograms';
import { masterChecks, masterChecks24 } from './masterChecks';
import { masterVariable24Checks } from './masterVariables24';
import { modeChecks } from './modeChecks';
import { parser24Checks } from './parser24Checks';
import { peerChecks } from './peerChecks';
import { replication24Checks, replicationChecks } from './replicationChecks';
import { schemaChecks } from './schemaChecks';
import { settingsChecks23 } from './settingsChecks23';
import { sieveExtensions24Checks, unknownSieveExtensions24Checks } from './sieveExtensions24';
import { dollarWord24Checks, variable24Checks, variableText24Checks } from './variable24Checks';
import { unexpandedVariableChecks } from './unexpandedVariableChecks';
import { variableChecks } from './variableChecks';

interface CheckRow extends NamedCheck {
  /** The versions whose analysis runs it (a mixed or undetected tree is checked as 2.3). */
  versions: readonly CheckedVersion[];
}

const BOTH: readonly CheckedVersion[] = ['2.3', '2.4'];

/** Every check the analysis runs, in order. Each returns findings whose codes are rows of rules.ts. */
export const ANALYSIS_CHECKS: readonly CheckRow[] = [
  { name: 'parser24Checks', check: parser24Checks, versions: ['2.4'] },
  { name: 'modelFindings', check: modelFindings, versions: ['2.3'] },
  { name: 'modelFindings24', check: modelFindings24, versions: ['2.4'] },
  { name: 'fileValueChecks', check: fileValueChecks, versions: BOTH },
  { name: 'dialectChecks', check: dialectChecks, versions: BOTH },
  { name: 'schemaChecks', check: schemaChecks, versions: ['2.3'] },
  { name: 'variableChecks', check: variableChecks, versions: ['2.3'] },
  { name: 'unexpandedVariableChecks', check: unexpandedVariableChecks, versions: ['2.3'] },
  { name: 'variable24Checks', check: variable24Checks, versions: ['2.4'] },
  { name: 'dollarWord24Checks', check: dollarWord24Checks, versions: ['2.4'] },
  { name: 'variableText24Checks', check: variableText24Checks, versions: ['2.4'] },
  { name: 'sieveExtensions24Checks', check: sieveExtensions24Checks, versions: ['2.4'] },
  { name: 'unknownSieveExtensions24Checks', check: unknownSieveExtensions24Checks, versions: ['2.4'] },
  { name: 'masterChecks', check: masterChecks, versions: ['2.3'] },
  { name: 'masterChecks24', check: masterChecks24, versions: ['2.4'] },
  { name: 'masterVariable24Checks', check: masterVariable24Checks, versions: ['2.4'] },
  { name: 'settingsChecks23', check: settingsChecks23, versions: ['2.3'] },
  { name: 'modeChecks', check: modeChecks, versions: BOTH },
  { name: 'dictEntryChecks', check: dictEntryChecks, versions: ['2.3'] },
  { name: 'mailPluginDependencyChecks', check: mailPluginDependencyChecks, versions: BOTH },
  { name: 'mailPluginProgramChecks', check: mailPluginProgramChecks, versions: BOTH },
  { name: 'replicationChecks', check: replicationChecks, versions: ['2.3'] },
  { name: 'replication24Checks', check: replication24Checks, versions: ['2.4'] },
  { name: 'peerChecks', check: peerChecks, versions: ['2.3'] },
];

/** The checks that run for a tree read as this version, in table order. */
export function checksFor(version: CheckedVersion): NamedCheck[] {
  return ANALYSIS_CHECKS.filter((row) => row.versions.includes(version));
}
