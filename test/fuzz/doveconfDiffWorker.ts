// One input of the differential tier: written to a temporary directory, judged by the real doveconf
// (2.3, or 2.4 with -n and -x -n) and by our analysis of the same files, and compared.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Random } from '../helpers/configGen';
import { tempDir } from '../helpers/tempDir';
import { parseVerdict, type RecordedOutput } from '../oracle/cases';
import { analyzeOnDisk, disagreements } from '../oracle/compare';
import { DOVECONF_24, parseVerdict24 } from '../oracle24/verdict';
import { hasTemplateTag } from '../../server/src/service/syntax/templates';
import { inputSeed } from './fuzzWorker';
import { DIFF_ROOT, generateDiffInput, type DiffInput } from './doveconfGen';

export const DOVECONF_23 = process.env.DOVECONF_23 ?? '/usr/bin/doveconf';

export interface DiffResult {
  index: number;
  input: DiffInput;
  problems: string[];
  /** doveconf's messages (its lines starting `doveconf:`), shown with a disagreement. */
  said: string[];
  /** Why the input is not judged (see MACHINE_DEPENDENT and NOT_YET_CHECKED). */
  leftOut?: string;
}

export function diffInput(seed: number, index: number): DiffInput {
  return generateDiffInput(new Random(inputSeed(seed ^ 0x5bd1e995, index)));
}

/**
 * doveconf verdicts that depend on the machine rather than on the configuration: the input is left out.
 * A host name in `local`/`remote` is looked up in the machine's resolver (an empty one never resolves,
 * and is judged); Pigeonhole loads its plugins from the directory it was installed to.
 */
const MACHINE_DEPENDENT: [RegExp, string][] = [
  [/gethostbyname\([^)]+\) failed/, 'a host name looked up in DNS'],
  [/^Plugin '[^']*' not found from directory /, 'a Sieve plugin looked up where Pigeonhole is installed'],
  [/^default_(internal|login)_user doesn't exist: /, "a system user looked up in this machine's user database"],
  // The plugins of mail_plugins are looked for in mail_plugin_dir on the machine doveconf runs on.
  [/^mail_plugin_dir: access\(.*\) failed: /, 'a plugin directory looked up on this machine'],
  // A file read with `<file` names the path that is opened (its line end too, so the message breaks there).
  [/^\w+: open\([^)]*$/, 'a path read from a file and opened at start'],
];

/**
 * Checks of doveconf we do not make yet, left out so that the tier stays a gate for the rest; each is a
 * known gap to close (the tier counts the inputs it leaves out).
 */
const NOT_YET_CHECKED: [RegExp, string][] = [
  [/^Invalid (log_debug|log_core_filter): event filter: /, '2.3 event filter syntax'],
  [/^metric .* \{ filter \} is empty/, '2.3 metric without filter'],
  [/^(Metric name|Exporter format name|Exporter name) can't be empty/, '2.3 metric and exporter names'],
  [/^Failed to initialize Sieve$/, 'Pigeonhole settings read by doveconf 2.4 -n'],
  // `name = ""` in a block of one of Dovecot's own services: its number is Dovecot's index of that service.
  [/^Service #\d+ is missing name$/, '2.3 name = "" in a service block'],
];

/**
 * `{{`, `{%` or `{#` in a file (`%{#` makes one): we read the file as a Jinja2/Go template, whose tags stand
 * for text we do not know, up to their closing tag or the end of the file; doveconf reads them as text.
 */
const TEMPLATE_TAGS = 'a Jinja2/Go template tag, read as an unknown value';

/** 2.3's other event filters, left out like log_debug's: process_shutdown_filter, a metric's filter (no setting named). */
const NOT_YET_CHECKED_23 = /^(Invalid process_shutdown_filter: )?event filter: /;

/**
 * A check of the whole configuration that doveconf -n makes over a `$ENV:` value kept as written (Dovecot
 * reads the environment's value): we leave a value from the environment unjudged.
 */
const ENVIRONMENT = /must be provided together$/;

/**
 * doveconf run on the root by its absolute path, as Dovecot names it, from the root's directory: an `!include`
 * with no pattern names the including file's directory, which a relative root would make "" (`No matches`).
 * Its messages name the files relative to that directory again, as the recorded cases do.
 */
function runOnRoot(
  configPath: string,
  binary: string,
  expand = false,
): RecordedOutput & { signal: NodeJS.Signals | null } {
  const dir = path.dirname(configPath);
  const options = [...(expand ? ['-x'] : []), '-n', '-c', configPath];
  const result = spawnSync(binary, options, { cwd: dir, encoding: 'utf8' });
  return {
    output: `${result.stdout}${result.stderr}`.split(`${dir}/`).join(''),
    rc: result.status ?? -1,
    signal: result.signal,
  };
}

/**
 * doveconf killed by a signal without a Panic says nothing to compare with: 2.4.4 crashes (SIGSEGV) on a
 * mail_log plugin setting (mail_log_cached_only) inside a passdb or userdb block, a bug of that doveconf. A
 * Panic (SIGABRT) is doveconf's own verdict, which the comparison judges.
 */
function crashed(...runs: { signal: NodeJS.Signals | null; output: string }[]): string | undefined {
  const signal = runs.find((run) => run.signal !== null && !/^doveconf: Panic: /m.test(run.output))?.signal;
  return signal ? `doveconf killed by ${signal}` : undefined;
}

function leftOut(messages: (string | undefined)[]): string | undefined {
  for (const [pattern, why] of [...MACHINE_DEPENDENT, ...NOT_YET_CHECKED])
    if (messages.some((message) => message !== undefined && pattern.test(message))) return why;
  return undefined;
}

/**
 * Our findings of rules that are not doveconf's (replication, good practice, the start-time checks of 2.3
 * that doveconf -n does not run) are judged by the corpus, not here.
 */
function doveconfProblems(problems: string[]): string[] {
  return problems.filter((problem) => !problem.startsWith('unlisted '));
}

export function checkDiffInput(seed: number, index: number): DiffResult {
  const input = diffInput(seed, index);
  const dir = tempDir('dovecot-difffuzz-');
  try {
    for (const [name, text] of Object.entries(input.files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    const configPath = path.join(dir, DIFF_ROOT);
    if (Object.values(input.files).some(hasTemplateTag))
      return { index, input, problems: [], said: [], leftOut: TEMPLATE_TAGS };
    const analysis = analyzeOnDisk(configPath, { dovecotVersion: input.version });
    let problems: string[];
    let why: string | undefined;
    const said: string[] = [];
    const heard = (run: { output: string }, label: string): void => {
      for (const line of run.output.split('\n'))
        if (line.startsWith('doveconf:') && !line.includes('dump-capability')) said.push(`${label}${line}`);
    };
    if (input.version === '2.3') {
      const run = runOnRoot(configPath, DOVECONF_23);
      heard(run, '');
      const verdict = parseVerdict(run.output, run.rc);
      why = crashed(run) ?? leftOut([verdict.fatal?.message]);
      if (NOT_YET_CHECKED_23.test(verdict.fatal?.message ?? '')) why ??= '2.3 event filter syntax';
      problems = disagreements(analysis, verdict, dir);
    } else {
      const plain = runOnRoot(configPath, DOVECONF_24);
      const expanded = runOnRoot(configPath, DOVECONF_24, true);
      heard(plain, '-n: ');
      heard(expanded, '-x: ');
      const verdict = parseVerdict24(plain.output, plain.rc, configPath);
      const expandedVerdict = parseVerdict24(expanded.output, expanded.rc, configPath);
      why = crashed(plain, expanded) ?? leftOut([verdict.fatal?.message, expandedVerdict.fatal?.message]);
      const fromEnvironment = Object.values(input.files).some((text) => text.includes('$ENV:'));
      if (fromEnvironment && ENVIRONMENT.test(verdict.fatal?.message ?? '')) why ??= 'a $ENV: value doveconf -n checks';
      problems = disagreements(analysis, verdict, dir, undefined, expandedVerdict);
    }
    if (why !== undefined) return { index, input, problems: [], said: [...new Set(said)], leftOut: why };
    return { index, input, problems: doveconfProblems(problems), said: [...new Set(said)] };
  } catch (error) {
    return {
      index,
      input,
      problems: [`crash: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`],
      said: [],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module && process.send) {
  process.on('message', (request: { seed: number; indices: number[] }) => {
    for (const index of request.indices) process.send!(checkDiffInput(request.seed, index));
    process.send!({ index: -1, input: { version: '2.3', files: {} }, problems: [], said: [] } satisfies DiffResult);
  });
  // Ready (index -2): loaded and waiting for its inputs.
  process.send({ index: -2, input: { version: '2.3', files: {} }, problems: [], said: [] } satisfies DiffResult);
}
