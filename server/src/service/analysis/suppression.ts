/** `dovecot-lint: ignore=a,b` (blanks allowed around the commas). */
const SUPPRESSION = /dovecot-lint:\s*ignore=([\w.-]+(?:[ \t]*,[ \t]*[\w.-]+)*)/;

export interface SuppressionMatch {
  /** The rule ids named (not checked against the rules table: a stale id is harmless). */
  ids: string[];
  /** Offset just after the id list in the searched text, where another id can be appended. */
  listEnd: number;
}

/** The first suppression in a comment's text. */
export function findSuppression(text: string): SuppressionMatch | undefined {
  const match = SUPPRESSION.exec(text);
  if (!match) return undefined;
  return { ids: match[1].split(',').map((id) => id.trim()), listEnd: match.index + match[0].length };
}
