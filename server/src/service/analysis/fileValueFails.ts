import type { SettingNode } from '../syntax/nodes';
import type { Finding } from './finding';

/**
 * A check doveconf -n fails only on the text of a `<file` line (`node` of `file`): doveconf -n keeps `<path`
 * as written and its checks read that, while Dovecot reads the file when it starts, which may pass. A warning
 * that doveconf -n and what runs it fail. `cause`: what doveconf logs before a message that does not say it.
 */
export function fileValueFailsDoveconf(node: SettingNode, file: string, message: string, cause?: string): Finding {
  const stops = cause === undefined ? `"${message}"` : `"${message}" (${cause})`;
  return {
    code: 'file-value-fails-doveconf',
    file,
    range: node.valueRange,
    message: `${readAtStart(node)} doveconf -n checks "<${node.value}" as written and stops with ${stops}, so anything that checks the configuration with doveconf (doveconf -n, dovecot -n, doveadm config) fails.`,
  };
}

/** What Dovecot does with a `<file` value when it starts: `<` alone names no file but the directory it is in. */
function readAtStart(node: SettingNode): string {
  if (node.value === '')
    return `"<" names no file for ${node.key} (Dovecot fails reading the directory of this file when it starts), and`;
  return `Dovecot reads ${node.key} from the file ${node.value} when it starts, but`;
}

/**
 * A check doveconf -n only warns about on the text of a `<file` line: the warnings it prints for `<path` as
 * written, while Dovecot reads the file when it starts.
 */
export function fileValueWarnsDoveconf(node: SettingNode, file: string, warnings: readonly string[]): Finding {
  return {
    code: 'file-value-doveconf-warns',
    file,
    range: node.valueRange,
    message: `${readAtStart(node)} doveconf -n takes "<${node.value}" as written and warns ${warnings.map((warning) => `"${warning}"`).join(', ')}.`,
  };
}
