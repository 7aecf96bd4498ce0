// One fuzz worker (a child process of fuzz.ts): checks the inputs it is sent and reports each one.
// The parent's watchdog kills it when one input takes too long.
import { MemoryHost } from '../../server/src/service/model/host';
import { getLanguageService } from '../../server/src/service/dovecotLanguageService';
import { TextLines } from '../../server/src/service/syntax/textLines';
import { generateTree, Random, SECRET_MARKER } from '../helpers/configGen';
import {
  diagnosticRangeViolations,
  formattingViolations,
  leakViolations,
  selectionAndRangeFormatViolations,
  quickFixViolations,
} from '../helpers/invariants';

export interface FuzzRequest {
  seed: number;
  from: number;
  to: number;
}

/** The result of one input; index -1: ready for the next chunk. */
export interface FuzzReport {
  index: number;
  violations: string[];
}

/** The input of one index: the same seed and index give the same tree on every machine. */
export function inputSeed(seed: number, index: number): number {
  return (Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

const MAX_DIAGNOSTICS_FIXED = 3;

export function checkInput(seed: number, index: number): string[] {
  const random = new Random(inputSeed(seed, index));
  const tree = generateTree(random);
  const host = new MemoryHost(tree.files);
  try {
    const analysis = getLanguageService(host).analyze(tree.root);
    const textOf = (file: string) => analysis.model.files.get(file)?.text;
    const violations = analysis.diagnostics
      .filter((d) => d.code === 'internal-error')
      .map((d) => `crash: ${d.message.slice(0, 300)}`);
    violations.push(...diagnosticRangeViolations(analysis, textOf));
    for (const file of analysis.files) {
      const text = textOf(file) ?? '';
      violations.push(...formattingViolations(text).map((v) => `${file}: ${v}`));
      const lines = new TextLines(text);
      const positions = Array.from({ length: 3 }, () => {
        const line = random.int(lines.lineCount);
        return { line, character: random.int(lines.lineText(line).length + 1) };
      });
      violations.push(...selectionAndRangeFormatViolations(text, positions).map((v) => `${file}: ${v}`));
    }
    const pick = <T>(all: T[]): T[] =>
      all.length <= MAX_DIAGNOSTICS_FIXED
        ? all
        : Array.from({ length: MAX_DIAGNOSTICS_FIXED }, () => all[random.int(all.length)]);
    violations.push(...quickFixViolations(analysis, host, Infinity, pick));
    violations.push(...leakViolations(analysis, SECRET_MARKER));
    return violations;
  } catch (error) {
    return [`crash: ${error instanceof Error ? (error.stack ?? error.message).slice(0, 600) : String(error)}`];
  }
}

if (require.main === module && process.send) {
  process.on('message', (request: FuzzRequest) => {
    for (let index = request.from; index < request.to; index++) {
      process.send!({ index, violations: checkInput(request.seed, index) } satisfies FuzzReport);
    }
    process.send!({ index: -1, violations: [] } satisfies FuzzReport);
  });
  // Ready: loaded and waiting for the first chunk.
  process.send({ index: -1, violations: [] } satisfies FuzzReport);
}
