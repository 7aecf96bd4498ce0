// The server's main thread answers the editor; Node's helper threads (V8's background compiler and garbage
// collector, libuv's pool) work for it in between. Linux keeps a main thread woken by a keystroke waiting
// behind a helper that holds its core, for up to a scheduler slice (several milliseconds, even with the other
// core idle). A helper of lower priority gives way sooner; the main thread keeps the normal priority, and so
// do the programs it starts. Not the lowest: on a busy machine the collector then falls behind and the heap
// grows (at 100k lines, 300 MB instead of 175), so the helpers are lowered only as far as costs nothing there.
import * as fs from 'node:fs';
import * as os from 'node:os';

/** The helper threads' nice value: low enough to let the main thread in sooner, not so low that they fall behind. */
export const HELPER_NICE = 5;

/**
 * Gives every thread of this process but the main one a lower priority (`HELPER_NICE`). Linux only (its
 * priorities are per thread; elsewhere a thread id could name another process): returns how many it lowered.
 */
export function lowerHelperThreads(platform: NodeJS.Platform = process.platform): number {
  if (platform !== 'linux') return 0;
  let threadIds: string[];
  try {
    threadIds = fs.readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const name of threadIds) {
    const threadId = Number(name);
    if (threadId === process.pid) continue;
    try {
      os.setPriority(threadId, HELPER_NICE);
      lowered++;
    } catch {
      // A thread that ended meanwhile, or a system that does not allow it: the thread keeps its priority.
    }
  }
  return lowered;
}
