// Reads the verdict of the installed `doveconf -n -c ROOT` (its stderr) as findings on files and lines,
// so the real Dovecot's opinion can be shown beside ours with source `doveconf`. The forms are those of
// Dovecot 2.3.19:
//   doveconf: Fatal: Error in configuration file FILE line N: MESSAGE
//   doveconf: Fatal: Error in configuration file FILE: MESSAGE            (whole-config checks; `Missing '}'`
//                                                                          names `(section started at FILE:N)`)
//   doveconf: Warning: Configuration file FILE line N: MESSAGE  /  doveconf: Warning: FILE line N: MESSAGE
//   doveconf: Error: MESSAGE                                               (repeated by the Fatal line after it)
//   doveconf: Fatal: MESSAGE                                               (e.g. the root cannot be opened)
// With the Pigeonhole package installed, a broken config also makes doveconf print
// `Error: managesieve-login: dump-capability process returned 89`: a consequence, not a finding.
import * as path from 'node:path';

export interface DoveconfFinding {
  /** Absolute path of the file doveconf names (the root when it names none). */
  file: string;
  /** 0-based line, or undefined when doveconf names no line (reported on the first line). */
  line: number | undefined;
  severity: 'error' | 'warning';
  message: string;
}

const FATAL_WITH_LINE = /^doveconf: Fatal: Error in configuration file (.+?) line (\d+): (.*)$/;
const FATAL_WITH_FILE = /^doveconf: Fatal: Error in configuration file (.+?): (.*)$/;
const WARNING_WITH_LINE = /^doveconf: Warning: (?:Configuration file )?(.+?) line (\d+): (.*)$/;
const SECTION_STARTED = /\(section started at (.+):(\d+)\)$/;
const OTHER = /^doveconf: (Fatal|Error|Warning): (.*)$/;
const CONSEQUENCE = /dump-capability process returned \d+$/;

/** Findings in the order doveconf printed them, without repeated lines or Error lines a Fatal line repeats. */
export function parseDoveconfOutput(stderr: string, root: string): DoveconfFinding[] {
  const baseDir = path.dirname(root);
  const resolve = (file: string): string => path.resolve(baseDir, file);
  const findings: DoveconfFinding[] = [];
  const seen = new Set<string>();
  const add = (finding: DoveconfFinding): void => {
    const key = `${finding.file}\0${finding.line}\0${finding.severity}\0${finding.message}`;
    if (!seen.has(key)) findings.push(finding);
    seen.add(key);
  };
  const lines = stderr.split(/\r?\n/);
  lines.forEach((line, index) => {
    let match: RegExpExecArray | null;
    if ((match = FATAL_WITH_LINE.exec(line))) {
      add({ file: resolve(match[1]), line: Number(match[2]) - 1, severity: 'error', message: match[3] });
    } else if ((match = FATAL_WITH_FILE.exec(line))) {
      const started = SECTION_STARTED.exec(match[2]);
      add(
        started
          ? { file: resolve(started[1]), line: Number(started[2]) - 1, severity: 'error', message: match[2] }
          : { file: resolve(match[1]), line: undefined, severity: 'error', message: match[2] },
      );
    } else if ((match = WARNING_WITH_LINE.exec(line))) {
      add({ file: resolve(match[1]), line: Number(match[2]) - 1, severity: 'warning', message: match[3] });
    } else if ((match = OTHER.exec(line))) {
      const message = match[2];
      if (CONSEQUENCE.test(message)) return;
      const repeatedLater = lines.slice(index + 1).some((later) => later.endsWith(`: ${message}`));
      if (!repeatedLater)
        add({ file: root, line: undefined, severity: match[1] === 'Warning' ? 'warning' : 'error', message });
    }
  });
  return findings;
}
