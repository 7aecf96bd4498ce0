// Writes a command's output straight to its file descriptor: creating process.stdout costs a short CLI
// run several milliseconds (a pipe needs the net module). A full pipe that is non-blocking answers
// EAGAIN; the write then waits a moment and goes on.
import * as fs from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

export function writeFd(fd: number, text: string): void {
  let data = Buffer.from(text);
  while (data.length > 0) {
    try {
      data = data.subarray(fs.writeSync(fd, data));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}
