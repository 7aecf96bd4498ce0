// The first analysis of a tree runs before V8 has optimised the code, and leaves the most garbage. Collected
// in full as soon as its diagnostics are out, it does not slow the requests that follow; later analyses
// leave theirs to V8's usual collections.

/** V8's full collection: exposed when Node runs with `--expose-gc`, as the extension starts the server. */
type FullCollection = () => void;

/** A function that runs `collect` the first time it is called, and does nothing after. */
export function onceAfterFirstAnalysis(
  collect: FullCollection | undefined = (globalThis as { gc?: FullCollection }).gc,
): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    collect?.();
  };
}
