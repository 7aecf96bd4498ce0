// The Node options the language server runs with (the extension passes them; other editors put them on
// the command line, see the README). They bound how far V8 lets the heap grow between collections:
// re-analysing a 100k-line tree then peaks near 175 MB instead of 260–300 MB, at no measurable cost in speed.
// The old-space bound stays far above what the largest tree the analysis limits allow needs. The old
// generation may reach 64 MB before V8 collects it in full: on a tree of 10k lines a full collection then
// comes every 15 or so validations instead of every 4, and its last pause meets a completion right after an
// edit less often. `--expose-gc` lets the server collect the first analysis's garbage in full as soon as its
// diagnostics are out, and scavenge after each later validation; `--no-minor-gc-task` keeps V8 from scavenging
// when the server next goes idle, which is when a keystroke comes (see collectionAfterAnalysis.ts). One V8
// helper thread instead of four: on a machine of two cores, V8's concurrent compilation and marking otherwise
// compete with the server and the editor for them.
import nodeOptions from './nodeOptions.json';

export const SERVER_NODE_OPTIONS: readonly string[] = nodeOptions;
