// The server's main thread answers the editor; Node's helper threads (V8's background compiler and garbage
// collector, libuv's pool) work for it in between. Linux keeps a main thread woken by a keystroke waiting
// behind a helper that holds its core for the rest of the helper's slice (4–5 ms right after a validation,
// while V8 compiles what the validation ran, even with the other core idle), unless the helper has the lowest
// priority: then the main thread runs at once. The main thread keeps the normal priority, and so do the
// programs it starts. On a machine whose cores are all busy the helpers then fall behind: the server's heap
// options keep the heap from growing far (at 100k lines about 120 MB instead of 100), and a validation of
// 100k lines takes longer.
import * as fs from 'node:fs';
import * as os from 'node:os';

/** The helper threads' nice value: the lowest priority, so that a woken main thread does not wait for them. */
export const HELPER_NICE = 19;

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
