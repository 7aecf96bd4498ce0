// Reading the verdict of Dovecot 2.4's doveconf out of its output.
import * as path from 'node:path';
import { LOGGED_ERROR, type DoveconfMessage, type DoveconfVerdict } from '../oracle/cases';

/** Where scripts/build-dovecot24.sh installs the 2.4 doveconf. */
export const DOVECONF_24 = process.env.DOVECONF_24 ?? '/opt/dovecot-2.4.4/bin/doveconf';

const LINE_ERROR = /^doveconf: Fatal: Error in configuration file (.+?) line (\d+): (.*)$/;
const FILE_ERROR = /^doveconf: Fatal: Error in configuration file (.+?): (.*)$/;
const BARE_FATAL = /^doveconf: Fatal: (.*)$/;
const WARNING = /^doveconf: Warning: (.+?) line (\d+): (.*)$/;
const CONFIG_WARNING = /^doveconf: Warning: Configuration file (.+?) line (\d+): (.*)$/;
const BARE_WARNING = /^doveconf: Warning: (.*)$/;
const PANIC = /^doveconf: Panic: (.*)$/;

/**
 * doveconf 2.4's verdict: exit status, first fatal error, and the warnings. A fatal error or warning
 * without a file (`dovecot_storage_version setting must be set`, `ssl_min_protocol=ANY is used ...`)
 * concerns the whole configuration and is given the root file `configName` and no line. A Panic's text is kept
 * apart: doveconf aborted there.
 */
export function parseVerdict24(output: string, rc: number, configName: string): DoveconfVerdict {
  let fatal: DoveconfMessage | undefined;
  let panic: string | undefined;
  const warnings: DoveconfMessage[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const line of output.split('\n')) {
    panic ??= PANIC.exec(line)?.[1];
    const error = LOGGED_ERROR.exec(line);
    if (error && !errors.includes(error[1])) errors.push(error[1]);
    const withLine = LINE_ERROR.exec(line);
    const withFile = withLine ? undefined : FILE_ERROR.exec(line);
    const bare = withLine || withFile ? undefined : BARE_FATAL.exec(line);
    if (!fatal && withLine) fatal = { file: withLine[1], line: Number(withLine[2]), message: withLine[3] };
    else if (!fatal && withFile) fatal = { file: withFile[1], message: withFile[2] };
    else if (!fatal && bare) fatal = { file: path.basename(configName), message: bare[1] };
    if (seen.has(line)) continue;
    const warning = CONFIG_WARNING.exec(line) ?? WARNING.exec(line);
    const bareWarning = warning ? undefined : BARE_WARNING.exec(line);
    if (warning) warnings.push({ file: warning[1], line: Number(warning[2]), message: warning[3] });
    else if (bareWarning) warnings.push({ file: path.basename(configName), message: bareWarning[1] });
    if (warning || bareWarning) seen.add(line);
  }
  return {
    rc,
    accepted: rc === 0,
    fatal: rc === 0 ? undefined : fatal,
    ...(panic !== undefined ? { panic } : {}),
    warnings,
    errors,
  };
}
