import type { CheckedVersion } from '../model/dialect';
import type { Check } from './analyzer';
import { dialectChecks } from './dialectChecks';
import { fileValueChecks, modelFindings, modelFindings24 } from './fileChecks';
import { mailPluginDependencyChecks } from './mailPluginDependencies';
import { mailPluginProgramChecks } from './mailPluginPrograms';
import { masterChecks, masterChecks24 } from './masterChecks';
import { parser24Checks } from './parser24Checks';
import { peerChecks } from './peerChecks';
import { replication24Checks, replicationChecks } from './replicationChecks';
import { schemaChecks } from './schemaChecks';
import { settingsChecks23 } from './settingsChecks23';
import { sieveExtensions24Checks, unknownSieveExtensions24Checks } from './sieveExtensions24';
import { dollarWord24Checks, variable24Checks } from './variable24Checks';
import { unexpandedVariableChecks } from './unexpandedVariableChecks';
import { variableChecks } from './variableChecks';

interface CheckRow {
  check: Check;
  /** The versions whose analysis runs it (a mixed or undetected tree is checked as 2.3). */
  versions: readonly CheckedVersion[];
}

const BOTH: readonly CheckedVersion[] = ['2.3', '2.4'];

/** Every check the analysis runs, in order. Each returns findings whose codes are rows of rules.ts. */
export const ANALYSIS_CHECKS: readonly CheckRow[] = [
  { check: parser24Checks, versions: ['2.4'] },
  { check: modelFindings, versions: ['2.3'] },
  { check: modelFindings24, versions: ['2.4'] },
  { check: fileValueChecks, versions: BOTH },
  { check: dialectChecks, versions: BOTH },
  { check: schemaChecks, versions: ['2.3'] },
  { check: variableChecks, versions: ['2.3'] },
  { check: unexpandedVariableChecks, versions: ['2.3'] },
  { check: variable24Checks, versions: ['2.4'] },
  { check: dollarWord24Checks, versions: ['2.4'] },
  { check: sieveExtensions24Checks, versions: ['2.4'] },
  { check: unknownSieveExtensions24Checks, versions: ['2.4'] },
  { check: masterChecks, versions: ['2.3'] },
  { check: masterChecks24, versions: ['2.4'] },
  { check: settingsChecks23, versions: ['2.3'] },
  { check: mailPluginDependencyChecks, versions: BOTH },
  { check: mailPluginProgramChecks, versions: BOTH },
  { check: replicationChecks, versions: ['2.3'] },
  { check: replication24Checks, versions: ['2.4'] },
  { check: peerChecks, versions: ['2.3'] },
];

/** The checks that run for a tree read as this version, in table order. */
export function checksFor(version: CheckedVersion): Check[] {
  return ANALYSIS_CHECKS.filter((row) => row.versions.includes(version)).map((row) => row.check);
}
