import type { Range } from 'vscode-languageserver-types';
import type { SyntaxProblemCode } from '../syntax/nodes';
import type { FilterProblem } from './filters';

/** What building the model can find wrong: the parser's problems, the include graph, filters and obsolete settings. */
export type ModelProblemCode =
  | SyntaxProblemCode
  | FilterProblem['code']
  | 'unexpected-close-brace'
  | 'missing-close-brace'
  | 'include-no-matches'
  | 'include-recursive'
  | 'include-unreadable'
  | 'file-not-regular'
  | 'obsolete-setting'
  | 'ssl-protocols-not-converted';

/** A problem found while the model was built; the analysis reports it under the rule of the same name. */
export interface ModelProblem {
  code: ModelProblemCode;
  file: string;
  range: Range;
  message: string;
  /** JSON-serialisable facts for the analysis and its quick fixes. */
  data?: Record<string, unknown>;
}
