import type { Range } from 'vscode-languageserver-types';
import type { RuleId } from './rules';

export interface RelatedPlace {
  file: string;
  range: Range;
  message: string;
}

/** One problem found by any layer, before the rules table gives it a severity. `code` is a rule id. */
export interface Finding {
  code: RuleId;
  file: string;
  range: Range;
  message: string;
  related?: RelatedPlace[];
  /** Rule-specific facts a quick fix needs (kept JSON-serialisable: it travels in Diagnostic.data). */
  data?: Record<string, unknown>;
}
