// Settings whose `%` variables are their own, not the mail user's: a rejection message's `%s` is the
// subject and `%n` a line break, a logout format's `%i` the bytes read. Their 2.3 letters and 2.4 names
// are read off the two releases' defaults (2.3 `Rejected: %s`, 2.4 `Rejected: %{subject}`).
import { findSetting } from './schema';
import { findSetting24 } from './schema24';
import { SHORT_VARIABLES_23 } from './varExpand24';

type VariableTable = Readonly<Record<string, string>>;

/** Settings expanded with one table in 2.3 and 2.4 (src/lib-lda/mail-send.c): each knows the other's letters. */
const SHARED_TABLES: readonly (readonly string[])[] = [['rejection_subject', 'rejection_reason']];

/** A value cut into literal text and variables (`%x`, `%Lx`, `%{...}`), alternating, literal first. */
function split(value: string): { literals: string[]; variables: string[] } {
  const literals: string[] = [];
  const variables: string[] = [];
  const pattern = /%%|%\{[^}]*\}|%[LUER0-9.-]*[a-zA-Z$]/g;
  let last = 0;
  for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
    if (match[0] === '%%') continue;
    literals.push(value.slice(last, match.index));
    variables.push(match[0]);
    last = match.index + match[0].length;
  }
  literals.push(value.slice(last));
  return { literals, variables };
}

/** 2.3 letters and the 2.4 expressions at the same places of the two defaults; undefined when their texts differ. */
function alignedLetters(default23: string, default24: string): Record<string, string> | undefined {
  const old = split(default23);
  const next = split(default24);
  if (old.variables.length !== next.variables.length) return undefined;
  if (old.literals.some((literal, i) => literal !== next.literals[i])) return undefined;
  const letters: Record<string, string> = {};
  old.variables.forEach((variable, i) => {
    if (/^%[a-zA-Z$]$/.test(variable)) letters[variable.slice(1)] = next.variables[i];
  });
  return letters;
}

/** The letters of a setting whose defaults give one a meaning other than the mail user's variable of that letter. */
function ownLetters(name: string): Record<string, string> | undefined {
  const default23 = findSetting('', name)?.default;
  const default24 = findSetting24(name)?.default;
  if (!default23 || !default24) return undefined;
  const letters = alignedLetters(default23, default24);
  if (!letters) return undefined;
  const own = Object.entries(letters).some(([letter, expression]) => SHORT_VARIABLES_23[letter] !== expression);
  return own ? letters : undefined;
}

const tables = new Map<string, VariableTable>();

/**
 * The 2.3 short variables a setting's value is expanded with and their 2.4 forms: the setting's own when
 * it has them (only the letters its defaults show), else the mail user's.
 */
export function shortVariablesOf(name: string): VariableTable {
  const known = tables.get(name);
  if (known) return known;
  const group = SHARED_TABLES.find((names) => names.includes(name)) ?? [name];
  const own = group.map(ownLetters).filter((letters) => letters !== undefined);
  const table: VariableTable = own.length > 0 ? Object.assign({}, ...own) : SHORT_VARIABLES_23;
  tables.set(name, table);
  return table;
}

/** The variable names a setting's 2.4 default uses (`%{deleted}` of imap_logout_format): 2.4 knows them there. */
export function defaultVariableNames24(name: string): ReadonlySet<string> {
  const names = new Set<string>();
  for (const match of (findSetting24(name)?.default ?? '').matchAll(/%\{\s*([A-Za-z_][\w:]*)/g)) names.add(match[1]);
  return names;
}
