// Helpers for the doveconf oracle tests: reading the recorded case files, recreating a case on disk,
// running the real doveconf, and reading doveconf's verdict out of its output.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/tempDir';

export interface OracleCase {
  /** Case path as recorded, e.g. `a01_unknown.conf` or `inc/main6.conf`. */
  name: string;
  /** Text in parentheses after the name (describes extra files of the `inc/` cases). */
  header: string;
  lines: string[];
  /** The recorded `doveconf -n` output (banner included) and exit status; `expanded`, that of `doveconf -x -n`. */
  recorded: RecordedOutput & { expanded?: RecordedOutput };
}

export interface RecordedOutput {
  output: string;
  rc: number;
}

export interface DoveconfMessage {
  /** File as doveconf names it (relative to the directory doveconf ran in), undefined without a file. */
  file?: string;
  /** 1-based line, undefined for end-of-parse and master-check errors. */
  line?: number;
  message: string;
}

export interface DoveconfVerdict {
  rc: number;
  accepted: boolean;
  fatal?: DoveconfMessage;
  /** The text after `Panic: ` when doveconf aborted. */
  panic?: string;
  warnings: DoveconfMessage[];
  /**
   * The messages of its `Error:` lines: a check of the whole configuration logs every one that fails before
   * the fatal error repeats the first.
   */
  errors?: string[];
}

/**
 * Reads a case file in the format of data/dovecot/doveconf-2.3.19-error-cases.txt: the first output block is
 * `doveconf -n`'s, a later block whose header names `-x` is `doveconf -x -n`'s.
 */
export function readCases(file: string): OracleCase[] {
  const cases: OracleCase[] = [];
  let current: OracleCase | undefined;
  let section: 'lines' | 'output' | 'expanded' | 'other' = 'other';
  let seenOutput = false;
  let output: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const start = /^=== (\S+)\s*(?:\((.*)\))?\s*$/.exec(line);
    if (start) {
      current = { name: start[1], header: start[2] ?? '', lines: [], recorded: { output: '', rc: -1 } };
      cases.push(current);
      section = 'lines';
      seenOutput = false;
      continue;
    }
    if (!current) continue;
    if (line.startsWith('--- output')) {
      section = line.includes('-x') ? 'expanded' : seenOutput ? 'other' : 'output';
      seenOutput ||= section === 'output';
      output = [];
      continue;
    }
    if (section === 'lines' && (line.startsWith('  | ') || line === '  |')) current.lines.push(line.slice(4));
    else if (section === 'output' || section === 'expanded') {
      const rc = /^rc=(-?\d+)$/.exec(line);
      if (!rc) output.push(line);
      else {
        const recorded = { output: output.join('\n'), rc: Number(rc[1]) };
        if (section === 'output') current.recorded = { ...recorded, expanded: current.recorded.expanded };
        else current.recorded.expanded = recorded;
        section = 'other';
      }
    }
  }
  return cases;
}

/**
 * Extra files of an `inc/` case, from its header (`conf.d/10-a.conf: mail_debug = yes; pw.txt exists, ...`); a
 * file named again gets one more line (`a.conf: x = \; a.conf: \` is a file of two lines).
 */
export function extraFiles(header: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const part of header.split(/;\s*/)) {
    const content = /^([\w./-]+): (.*)$/.exec(part.trim());
    if (content) files[content[1]] = `${files[content[1]] ?? ''}${content[2]}\n`;
    else for (const exists of part.matchAll(/([\w./-]+) exists/g)) files[exists[1]] = 'secret\n';
  }
  return files;
}

/** Writes a case (and its extra files) into a fresh temporary directory; returns the config's absolute path. */
export function writeCase(testCase: OracleCase): string {
  const eol = /\bcrlf\b/.test(testCase.header) ? '\r\n' : '\n';
  const root = tempDir('dovecot-oracle-');
  const configPath = path.join(root, testCase.name);
  const caseDir = path.dirname(configPath);
  for (const [name, text] of Object.entries(extraFiles(testCase.header))) {
    mkdirSync(path.dirname(path.join(caseDir, name)), { recursive: true });
    writeFileSync(path.join(caseDir, name), text);
  }
  mkdirSync(caseDir, { recursive: true });
  writeFileSync(configPath, testCase.lines.map((line) => line + eol).join(''));
  return configPath;
}

export function doveconfInstalled(binary = 'doveconf'): boolean {
  return spawnSync(binary, ['--help'], { encoding: 'utf8' }).error === undefined;
}

/**
 * Runs `doveconf -n -c FILE` from the file's directory, as the recorded outputs were made; with `expand`,
 * `doveconf -x -n`: values expanded and the checks Dovecot runs when it starts.
 */
export function runDoveconf(configPath: string, binary = 'doveconf', expand = false): RecordedOutput {
  const options = [...(expand ? ['-x'] : []), '-n', '-c', path.basename(configPath)];
  const result = spawnSync(binary, options, { cwd: path.dirname(configPath), encoding: 'utf8' });
  return { output: `${result.stdout}${result.stderr}`, rc: result.status ?? -1 };
}

const LINE_ERROR = /^doveconf: Fatal: Error in configuration file (.+?) line (\d+): (.*)$/;
const FILE_ERROR = /^doveconf: Fatal: Error in configuration file (.+?): (.*)$/;
/** An error doveconf logs before its fatal one (not the backtrace it logs after a Panic, which differs per run). */
export const LOGGED_ERROR = /^doveconf: Error: (?!Raw backtrace: )(.*)$/;
const AMBIGUOUS = /^doveconf: Warning: Configuration file (.+?) line (\d+): (.*)$/;
const FILE_WARNING = /^doveconf: Warning: (.+?) line (\d+): (.*)$/;
/** old-set-parser.c's rewrite warning; the whole text after `Warning: ` is the message we repeat. */
const OBSOLETE = /^doveconf: Warning: (Obsolete setting in (.+?):(\d+): .*)$/;

/**
 * doveconf's verdict: exit status, its fatal error and the (deduplicated) warnings with a line. Of several
 * fatal errors the last is doveconf's own: an earlier one comes from Pigeonhole's managesieve-login capability
 * dump, which reads the configuration with variables expanded before doveconf reads it as written.
 */
export function parseVerdict(output: string, rc: number): DoveconfVerdict {
  let fatal: DoveconfMessage | undefined;
  const warnings: DoveconfMessage[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const line of output.split('\n')) {
    if (line.includes('dump-capability')) continue; // Pigeonhole's capability dump noise (FACTS §1.15)
    const error = LOGGED_ERROR.exec(line);
    if (error && !errors.includes(error[1])) errors.push(error[1]);
    const withLine = LINE_ERROR.exec(line);
    const withoutLine = withLine ? undefined : FILE_ERROR.exec(line);
    if (withLine) fatal = { file: withLine[1], line: Number(withLine[2]), message: withLine[3] };
    else if (withoutLine) fatal = { file: withoutLine[1], message: withoutLine[2] };
    if (seen.has(line)) continue;
    const obsolete = OBSOLETE.exec(line);
    const warning = obsolete ? undefined : (AMBIGUOUS.exec(line) ?? FILE_WARNING.exec(line));
    if (obsolete) warnings.push({ file: obsolete[2], line: Number(obsolete[3]), message: obsolete[1] });
    else if (warning) warnings.push({ file: warning[1], line: Number(warning[2]), message: warning[3] });
    if (obsolete || warning) seen.add(line);
  }
  return { rc, accepted: rc === 0, fatal: rc === 0 ? undefined : fatal, warnings, errors };
}
