// `@label = name` lines of a Dovecot 2.4 tree: the include groups Dovecot defines itself and those the tree
// defines with `group @label name { }`, completed at top level (groups are included there only) and
// described on hover.
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../dovecotLanguageService';
import { where } from './hoverPlaces';
import { BUILT_IN_GROUPS_24 } from '../schema/schema24';
import { markdown, SORT_NORMAL, valueItem, type CompletionPlace as Place } from './completionItems';

interface Group {
  label: string;
  name: string;
  detail: string;
  documentation: string;
}

function groupsOf(analysis: TreeAnalysis): Group[] {
  const builtIn = Object.entries(BUILT_IN_GROUPS_24).flatMap(([label, names]) =>
    Object.entries(names).map(([name, documentation]) => ({
      label,
      name,
      detail: 'include group defined by Dovecot (2.4.1 and later)',
      documentation,
    })),
  );
  const defined = analysis.model.sections
    .filter(({ node }) => node.type === 'group' && node.groupLabel?.startsWith('@') && node.name !== '')
    .map(({ node, file }) => ({
      label: (node.groupLabel ?? '').slice(1),
      name: node.name,
      detail: `include group defined at ${where(analysis, file, node.range)}`,
      documentation: `Applies the settings of \`group ${node.groupLabel} ${node.name} { }\` here.`,
    }));
  const seen = new Set<string>();
  return [...defined, ...builtIn].filter(
    ({ label, name }) => !seen.has(`${label} ${name}`) && seen.add(`${label} ${name}`),
  );
}

/** `@label = name` lines, at top level only. */
export function groupIncludeItems(place: Place): CompletionItem[] {
  if (place.cursor.frames.length > 0) return [];
  return groupsOf(place.analysis).map(({ label, name, detail, documentation }) => ({
    label: `@${label} = ${name}`,
    kind: CompletionItemKind.Module,
    detail,
    documentation: markdown(documentation),
    sortText: `${SORT_NORMAL}@${label} ${name}`,
    filterText: `@${label}`,
    textEdit: { range: place.wordRange, newText: place.atLineEnd ? `@${label} = ${name}` : `@${label}` },
  }));
}

/** The group names of `@label = |`. */
export function groupNameItems(key: string, place: Place): CompletionItem[] {
  return groupsOf(place.analysis)
    .filter(({ label }) => `@${label}` === key)
    .map(({ name, detail, documentation }) =>
      valueItem(place, name, { kind: CompletionItemKind.Module, detail, documentation: markdown(documentation) }),
    );
}

/** Hover of an `@label = name` line: what the group is and what it adds, or where the tree defines it. */
export function groupIncludeHover(analysis: TreeAnalysis, key: string, name: string): string | undefined {
  const group = groupsOf(analysis).find((candidate) => `@${candidate.label}` === key && candidate.name === name);
  if (!group) return undefined;
  return [
    `**${key} = ${name}**`,
    '',
    `${group.detail[0].toUpperCase()}${group.detail.slice(1)}.`,
    '',
    group.documentation,
  ].join('\n');
}
