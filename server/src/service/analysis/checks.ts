import type { Check } from './analyzer';
import { dialectChecks } from './dialectChecks';
import { fileValueChecks, modelFindings } from './fileChecks';
import { masterChecks } from './masterChecks';
import { parser24Checks } from './parser24Checks';
import { peerChecks } from './peerChecks';
import { replicationChecks } from './replicationChecks';
import { schemaChecks } from './schemaChecks';
import { variable24Checks } from './variable24Checks';
import { variableChecks } from './variableChecks';

/** Every check the analysis runs, in order. Each returns findings whose codes are rows of rules.ts. */
export const analysisChecks: readonly Check[] = [parser24Checks, modelFindings, fileValueChecks, dialectChecks, schemaChecks, variableChecks, variable24Checks, masterChecks, replicationChecks, peerChecks];
