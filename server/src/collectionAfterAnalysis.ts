// The first analysis of a tree runs before V8 has optimised the code, and leaves the most garbage: it is
// collected in full as soon as its diagnostics are out, so that it does not slow the requests that follow.
// Each later analysis leaves its last objects in the young generation. V8 would scavenge them as a task the
// next time the server is idle, which is when the next keystroke comes, and that keystroke's completion
// waited for it; the server runs with `--no-minor-gc-task` and scavenges right after each validation instead.

/**
 * V8's collection: exposed when Node runs with `--expose-gc`, as the extension starts the server. Called
 * without options it collects in full; `{ type: 'major' }` scavenges in Node 20, like `{ type: 'minor' }`.
 */
type Collection = (options?: { type: 'minor' }) => void;

/** What to run after each validation: a full collection the first time, a scavenge after that. */
export function afterEachAnalysis(
  collect: Collection | undefined = (globalThis as { gc?: Collection }).gc,
): () => void {
  let first = true;
  return () => {
    if (first) collect?.();
    else collect?.({ type: 'minor' });
    first = false;
  };
}
