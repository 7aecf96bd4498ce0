// Our effective configuration of a tree against `doveconf -n` of its Dovecot version, line for line: the
// lines each prints (comments left out) and where they differ.
import type { LanguageService, TreeAnalysis } from '../../server/src/service/dovecotLanguageService';

/** doveconf 2.4's own markers for what it hides, so that hidden values compare too. */
const DOVECONF_MARKERS = { value: '# hidden, use -P to show it', part: '#hidden_use-P_to_show#' };

/** The lines of `doveconf -n` output, its `#` banner and comment lines and its own `doveconf:` messages left out. */
export function doveconfListing(output: string): string[] {
  return output.split('\n').filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('doveconf: '));
}

/** Our listing of the tree, with doveconf's hidden markers, each line without its `# file:line`. */
export function ourListing(service: LanguageService, analysis: TreeAnalysis): string[] {
  return listedLines(service.renderEffectiveConfig(analysis, { hiddenMarkers: DOVECONF_MARKERS }));
}

/** The lines of our rendering as doveconf -n prints them: the title left out, each line without its `# file:line`. */
export function listedLines(rendering: string): string[] {
  return rendering
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const comment = line.lastIndexOf(' # ');
      return comment < 0 ? line : line.slice(0, comment);
    });
}

/**
 * Pigeonhole's managesieve capabilities, which doveconf 2.3 fills in at top level by running managesieve-login
 * where Pigeonhole's managesieve is installed (and leaves out when that fails): they depend on the machine
 * doveconf runs on, not on the tree, so our listing leaves them out.
 */
const MACHINE_KEYS = ['managesieve_notify_capability', 'managesieve_sieve_capability'];

/** doveconf's lines without those it computed on its machine: a capability key the tree does not set itself. */
export function withoutMachineLines(theirs: readonly string[], ours: readonly string[]): string[] {
  const computed = MACHINE_KEYS.filter((key) => !ours.some((line) => line.startsWith(`${key} = `)));
  return theirs.filter((line) => !computed.some((key) => line.startsWith(`${key} = `)));
}

/**
 * Where two listings differ, line by line along their longest common subsequence: each line only doveconf
 * prints and each line only we print, with its line number in its listing. A line printed elsewhere shows twice.
 */
export function listingDifferences(ours: readonly string[], theirs: readonly string[]): string[] {
  // common[i][j]: the length of the longest common subsequence of ours[i..] and theirs[j..].
  const common = Array.from({ length: ours.length + 1 }, () => new Array<number>(theirs.length + 1).fill(0));
  for (let i = ours.length - 1; i >= 0; i--)
    for (let j = theirs.length - 1; j >= 0; j--)
      common[i][j] = ours[i] === theirs[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
  const differences: string[] = [];
  let i = 0;
  let j = 0;
  while (i < ours.length || j < theirs.length) {
    if (i < ours.length && j < theirs.length && ours[i] === theirs[j]) {
      i++;
      j++;
    } else if (j < theirs.length && (i === ours.length || common[i][j + 1] >= common[i + 1][j])) {
      differences.push(`doveconf line ${j + 1}, not ours: ${theirs[j]}`);
      j++;
    } else {
      differences.push(`our line ${i + 1}, not doveconf's: ${ours[i]}`);
      i++;
    }
  }
  return differences;
}
