// A `%{…}` value of a setting Dovecot 2.4's master process reads when it starts (masterVariables24.ts) that
// expands without fail but is then no value of the setting's type: doveconf -n does not check a value holding
// `%{` (it cannot know what it gives), the master expands it, converts the text and stops with
// `Invalid setting service_vsz_limit=x 4242 (before expansion: x %{process:pid}): Invalid size: x 4242`
// (settings_parse_keyvalue after var_expand in src/lib-settings/settings.c@2.4.4), as doveconf -x does.
// Judged only when it fails whatever the programs give: all of them constant (`%{literal('x')}`), or text
// around them holding a character no value of the type has.
import { findSetting24 } from '../schema/schema24';
import { checkText24 } from '../schema/valueCheck24';
import { varExpandPieces24 } from '../schema/varExpandParser24';

/** One piece of a value: text as written, or a `%{…}` program and the text it gives when that is known. */
type Piece = { text: string } | { program: string; gives?: string };

/** Characters every value of a type is made of (numbers, sizes and times also take `unlimited`/`infinite`). */
const UNLIMITED = 'unlimitedinfinite';
const TYPE_CHARACTERS: Record<string, string> = {
  bool: 'yesYESnoNO1',
  uint: `0123456789${UNLIMITED}`,
  uintmax: `0123456789${UNLIMITED}`,
  octal: `0123456789${UNLIMITED}`,
  port: '0123456789',
  size: `0123456789 bkmgtiBKMGTI${UNLIMITED}`,
  time: `0123456789 ${'secondsminutesmillisecondshoursdaysweeks'}${'SECONDSMINUTESMILLISECONDSHOURSDAYSWEEKS'}${UNLIMITED}`,
  time_msecs: `0123456789 ${'secondsminutesmillisecondshoursdaysweeks'}${'SECONDSMINUTESMILLISECONDSHOURSDAYSWEEKS'}${UNLIMITED}`,
};

const TYPE_WORDS: Record<string, string> = {
  bool: 'boolean',
  uint: 'number',
  uintmax: 'number',
  octal: 'number',
  port: 'port number',
  size: 'size',
  time: 'time interval',
  time_msecs: 'time interval',
};

/** A program that expands without fail: a constant, an environment variable, the process id. */
function programGives(program: string): { expands: boolean; gives?: string } {
  const constant = /^%\{[ \t]*literal\([ \t]*(?:'([^'\\]*)'|"([^"\\]*)")[ \t]*\)[ \t]*\}$/.exec(program);
  if (constant) return { expands: true, gives: constant[1] ?? constant[2] };
  return { expands: /^%\{[ \t]*(env:[A-Za-z0-9_]+|process:pid)[ \t]*\}$/.test(program) };
}

/** The value cut into text and programs; undefined when a program is not one that expands without fail. */
function pieces(value: string): Piece[] | undefined {
  const parsed = varExpandPieces24(value);
  if (!parsed) return undefined;
  const result: Piece[] = [];
  for (const piece of parsed) {
    if ('text' in piece) result.push(piece);
    else {
      const { expands, gives } = programGives(piece.program);
      if (!expands) return undefined;
      result.push({ program: piece.program, gives });
    }
  }
  return result;
}

/**
 * What the master says after `Failed to parse configuration: ` for `value` of the setting `full`, when the
 * value holds programs that expand and is no value of the type whatever they give; the expanded text is `…`
 * when it depends on the machine. Undefined otherwise.
 */
export function conversionFailure24(value: string, full: string): string | undefined {
  const info = findSetting24(full);
  const characters = info && TYPE_CHARACTERS[info.type];
  if (!info || !characters || !value.includes('%{') || value.includes('$SET:') || value.includes('$ENV:'))
    return undefined;
  const parts = pieces(value);
  if (!parts) return undefined;
  const known = parts.map((part) => ('program' in part ? part.gives : part.text));
  if (known.every((text) => text !== undefined)) {
    const expanded = known.join('');
    const error = checkText24(info, expanded);
    return error && `Invalid setting ${full}=${expanded} (before expansion: ${value}): ${error}`;
  }
  const stray = known
    .join('')
    .split('')
    .find((char) => !characters.includes(char));
  if (stray === undefined) return undefined;
  return `Invalid setting ${full}=… (before expansion: ${value}): whatever the %{…} give, ${JSON.stringify(stray)} makes it no ${TYPE_WORDS[info.type]}`;
}
