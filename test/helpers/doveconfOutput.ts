// Reads `doveconf -n` output (and our effective view) into comparable lines.
import { canonicalValue } from '../../server/src/service/features/effectiveConfig';
import { findSetting } from '../../server/src/service/schema/schema';

/**
 * Keys doveconf -n prints that no config file sets: the managesieve capabilities are filled in by running
 * `managesieve-login --dump-capability` (dynamic defaults of Pigeonhole), so our engine cannot know them.
 */
const DOVECONF_ONLY = new Set(['managesieve_notify_capability', 'managesieve_sieve_capability']);
const FILTER_HEADS = /^(protocol|local|local_name|remote) /;

function unquote(value: string): string {
  return /^".*"$/.test(value) ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

/** `section path | key = canonical value` lines, in order; section headers as their own lines. */
export function normalise(output: string): string[] {
  const stack: string[] = [];
  const result: string[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.replace(/ # [^#]*$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.endsWith('{')) {
      stack.push(line.slice(0, -1).trim());
      result.push(`${stack.join(' / ')} {`);
      continue;
    }
    if (line === '}') {
      stack.pop();
      continue;
    }
    const match = /^([^=\s]+) =\s?(.*)$/.exec(line);
    if (!match) {
      result.push(`?? ${line}`);
      continue;
    }
    const [, key, value] = match;
    if (stack.length === 0 && DOVECONF_ONLY.has(key)) continue;
    const context = stack
      .filter((head) => !FILTER_HEADS.test(head))
      .map((head) => head.split(' ')[0])
      .join('/');
    const type = findSetting(context, key)?.type;
    result.push(`${stack.join(' / ')} | ${key} = ${canonicalValue(type, unquote(value))}`);
  }
  return result;
}
