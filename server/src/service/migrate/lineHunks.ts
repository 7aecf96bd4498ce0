// Where a converted file differs from its original, line by line: the changed runs of original lines
// and the converted lines that stand in their place. The quick fixes of 2.3 constructs take the run
// that covers their lines, so a fix writes exactly what the converter writes there.
import type { TextEdit } from 'vscode-languageserver-types';

export interface LineHunk {
  /** First original line of the run (0-based). */
  start: number;
  /** Line after the run: start === end is an insertion before `start`. */
  end: number;
  /** The converted lines in place of original lines [start, end). */
  lines: string[];
}

/** Above this many line pairs in the differing middle, the whole middle is one run (no quadratic table). */
const MAX_TABLE = 4_000_000;

function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Runs of change between two texts, from a longest common subsequence of their lines. */
export function lineHunks(original: string, converted: string): LineHunk[] {
  const a = splitLines(original);
  const b = splitLines(converted);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  if (midA.length === 0 && midB.length === 0) return [];
  if (midA.length * midB.length > MAX_TABLE) return [{ start: prefix, end: prefix + midA.length, lines: midB }];
  // lcs[i][j]: length of the longest common subsequence of midA[i..] and midB[j..]
  const lcs = Array.from({ length: midA.length + 1 }, () => new Uint32Array(midB.length + 1));
  for (let i = midA.length - 1; i >= 0; i--) {
    for (let j = midB.length - 1; j >= 0; j--)
      lcs[i][j] = midA[i] === midB[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const hunks: LineHunk[] = [];
  let open: LineHunk | undefined;
  const close = (): void => {
    if (open) hunks.push(open);
    open = undefined;
  };
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
      close();
      i++;
      j++;
    } else if (j < midB.length && (i === midA.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      open ??= { start: prefix + i, end: prefix + i, lines: [] };
      open.lines.push(midB[j++]);
    } else {
      open ??= { start: prefix + i, end: prefix + i, lines: [] };
      i++;
      open.end = prefix + i;
    }
  }
  close();
  return hunks;
}

/** What splits the runs into one group per construct: where the converter put some original lines, and its marker comments. */
export interface GroupHints {
  /** Original line (0-based) → converted line (0-based) where the line itself went. */
  anchors: ReadonlyMap<number, number>;
  /** A comment line the converter writes above the line it explains. */
  isMarker(line: string): boolean;
}

/**
 * The runs split into groups of original lines that can be changed on their own: an insertion joins
 * the line below it (the last line when at the end), a run whose converted lines pair one to one with
 * its original lines (marker comments joining the line below them) gives one group per line, else the
 * run is cut where an original line went (`anchors`).
 */
export function lineGroups(original: string, converted: string, hints: GroupHints): LineHunk[] {
  const originalLines = splitLines(original);
  const last = originalLines.length - 1;
  const groups: LineHunk[] = [];
  let convertedAt = 0;
  let originalAt = 0;
  for (const hunk of lineHunks(original, converted)) {
    convertedAt += hunk.start - originalAt;
    originalAt = hunk.end;
    const hunkStart = convertedAt;
    convertedAt += hunk.lines.length;
    if (hunk.start === hunk.end) {
      const below = Math.min(hunk.start, last);
      const lines = hunk.start <= last ? [...hunk.lines, originalLines[below]] : [originalLines[below], ...hunk.lines];
      const previous = groups[groups.length - 1];
      if (previous && previous.end > below) previous.lines.push(...hunk.lines);
      else groups.push({ start: below, end: below + 1, lines });
      continue;
    }
    groups.push(...splitRun(hunk, hunkStart, hints));
  }
  return groups;
}

function splitRun(hunk: LineHunk, convertedStart: number, hints: GroupHints): LineHunk[] {
  const count = hunk.end - hunk.start;
  const contentAt = hunk.lines.flatMap((line, index) => (hints.isMarker(line) ? [] : [index]));
  let cuts: { line: number; at: number }[];
  if (contentAt.length === count) {
    cuts = contentAt.map((at, index) => ({ line: hunk.start + index, at }));
  } else {
    cuts = [];
    for (let line = hunk.start; line < hunk.end; line++) {
      const anchor = hints.anchors.get(line);
      if (anchor !== undefined && anchor >= convertedStart && anchor < convertedStart + hunk.lines.length)
        cuts.push({ line, at: anchor - convertedStart });
    }
    if (cuts.length === 0 || cuts[0].line !== hunk.start) cuts.unshift({ line: hunk.start, at: 0 });
  }
  const groups: LineHunk[] = [];
  let from = 0;
  cuts.forEach((cut, index) => {
    const next = cuts[index + 1];
    let to = next ? next.at : hunk.lines.length;
    // Marker comments above the next group's line belong to it.
    while (next && to - 1 > cut.at && hints.isMarker(hunk.lines[to - 1])) to--;
    groups.push({ start: cut.line, end: next ? next.line : hunk.end, lines: hunk.lines.slice(from, to) });
    from = to;
  });
  return groups;
}

/**
 * The converter's change to original lines first..last (0-based, inclusive) of a file, as one edit of
 * whole lines: the runs that replace any of those lines or insert right after one of them. Undefined
 * when the converter left those lines as they are.
 */
export function conversionEdit(
  original: string,
  converted: string,
  first: number,
  last: number,
  hints?: GroupHints,
): TextEdit | undefined {
  const runs = hints ? lineGroups(original, converted, hints) : lineHunks(original, converted);
  const touching = runs.filter((hunk) =>
    hunk.start === hunk.end ? hunk.start > first && hunk.start <= last + 1 : hunk.start <= last && hunk.end > first,
  );
  if (touching.length === 0) return undefined;
  const start = Math.min(...touching.map((hunk) => hunk.start));
  const end = Math.max(...touching.map((hunk) => hunk.end));
  const originalLines = splitLines(original);
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  // Lines between two runs are kept as they are.
  const replacement: string[] = [];
  let at = start;
  for (const hunk of touching) {
    replacement.push(...originalLines.slice(at, hunk.start), ...hunk.lines);
    at = hunk.end;
  }
  replacement.push(...originalLines.slice(at, end));
  const text = replacement.map((line) => `${line}${eol}`).join('');
  // The last line of a file may lack its line end: replace up to the end of the text instead.
  if (end >= originalLines.length) {
    const lastLine = originalLines.length - 1;
    return {
      range: {
        start: { line: start, character: 0 },
        end: { line: lastLine, character: originalLines[lastLine].length },
      },
      newText: text.slice(0, -eol.length),
    };
  }
  return { range: { start: { line: start, character: 0 }, end: { line: end, character: 0 } }, newText: text };
}
