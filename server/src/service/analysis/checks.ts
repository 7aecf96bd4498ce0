import type { Check } from './analyzer';
import { dialectChecks } from './dialectChecks';
import { fileValueChecks, modelFindings } from './fileChecks';
import { masterChecks } from './masterChecks';
import { peerChecks } from './peerChecks';
import { replicationChecks } from './replicationChecks';
import { schemaChecks } from './schemaChecks';
import { variableChecks } from './variableChecks';

/** Every check the analysis runs, in order. Each returns findings whose codes are rows of rules.ts. */
export const analysisChecks: readonly Check[] = [modelFindings, fileValueChecks, dialectChecks, schemaChecks, variableChecks, masterChecks, replicationChecks, peerChecks];
