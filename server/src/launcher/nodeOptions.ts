// The Node options the language server runs with (the extension passes them; other editors put them on
// the command line, see the README). They bound how far V8 lets the heap grow between collections:
// re-analysing a 100k-line tree then peaks near 220 MB instead of 700 MB, at no measurable cost in speed.
// The old-space bound stays far above what the largest tree the analysis limits allow needs. One V8 helper
// thread instead of four: on a machine of two cores, V8's concurrent compilation and marking otherwise compete
// with the server's own thread and the editor for them (a completion right after an edit waited for them).
import nodeOptions from './nodeOptions.json';

export const SERVER_NODE_OPTIONS: readonly string[] = nodeOptions;
