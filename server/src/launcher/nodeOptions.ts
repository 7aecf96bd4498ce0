// The Node options the language server runs with (the extension passes them; other editors put them on
// the command line, see the README). They keep the heap near what the server holds: the young generation at
// 1 MB per half, no full collection while the old generation is under 32 MB (a tree of 10k lines then
// collects in full every few validations instead of letting 64 MB of garbage pile up), and above that the
// next full collection once the old generation has grown by 15% instead of up to about twice. Re-analysing a
// 100k-line tree then peaks near 100 MB instead of 130–210 MB. The old-space bound stays far above what the largest tree the
// analysis limits allow needs. `--expose-gc` lets the server collect the first analysis's garbage in full as
// soon as its diagnostics are out, and scavenge after each later validation; `--no-minor-gc-task` keeps V8
// from scavenging when the server next goes idle, which is when a keystroke comes (see
// collectionAfterAnalysis.ts). One V8 helper thread instead of four: on a machine of two cores, V8's
// concurrent compilation and marking otherwise compete with the server and the editor for them.
import nodeOptions from './nodeOptions.json';

export const SERVER_NODE_OPTIONS: readonly string[] = nodeOptions;
