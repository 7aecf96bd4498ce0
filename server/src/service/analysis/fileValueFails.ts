import type { SettingNode } from '../syntax/nodes';
import type { Finding } from './finding';

/**
 * A check doveconf -n fails only on the text of a `<file` line (`node` of `file`): doveconf -n keeps `<path`
 * as written and its checks read that, while Dovecot reads the file when it starts, which may pass. A warning
 * that doveconf -n and what runs it fail.
 */
export function fileValueFailsDoveconf(node: SettingNode, file: string, message: string): Finding {
  return {
    code: 'file-value-fails-doveconf',
    file,
    range: node.valueRange,
    message: `Dovecot reads ${node.key} from the file ${node.value} when it starts, but doveconf -n checks "<${node.value}" as written and stops with "${message}", so anything that checks the configuration with doveconf (doveconf -n, dovecot -n, doveadm config) fails.`,
  };
}
