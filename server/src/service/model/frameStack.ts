import type { Frame } from './model';

/**
 * The open sections while a walk places statements. Every statement placed until the stack changes
 * shares one copy of it as its frames (placed entries never change their frames).
 */
export class FrameStack {
  private readonly open: Frame[];
  private copy?: Frame[];
  /** The copy each open section was pushed over: statements after a nested section share it again. */
  private readonly outerCopies: (Frame[] | undefined)[] = [];

  constructor(initial: readonly Frame[] = []) {
    this.open = [...initial];
  }

  get depth(): number {
    return this.open.length;
  }

  /** The open sections now, as the frames of a statement placed here. */
  frames(): Frame[] {
    return (this.copy ??= [...this.open]);
  }

  push(frame: Frame): void {
    this.outerCopies.push(this.copy);
    this.open.push(frame);
    this.copy = undefined;
  }

  pop(): Frame | undefined {
    const frame = this.open.pop();
    this.copy = frame === undefined ? undefined : this.outerCopies.pop();
    return frame;
  }

  /** Closes every open section, returning them outermost first. */
  popAll(): Frame[] {
    this.copy = undefined;
    this.outerCopies.length = 0;
    return this.open.splice(0);
  }
}
