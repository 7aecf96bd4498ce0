import type { SectionNode } from '../syntax/nodes';
import { internalized } from '../syntax/keyTable';
import type { Frame } from './model';

/** The section-type path of a place, filters left out: '', 'service', 'service/inet_listener', ... */
export function contextOf(frames: readonly Frame[]): string {
  if (frames.length === 0) return '';
  return frames[frames.length - 1].context ?? contextOfSections(frames);
}

function contextOfSections(frames: readonly Frame[]): string {
  let context = '';
  for (const { section } of frames) {
    if (section.filter) continue;
    context = context === '' ? section.type : `${context}/${section.type}`;
  }
  return context;
}

/**
 * The frame of `section` opened under `outer`, with its context: kept on the frame (one per opened section),
 * not on each frames array, which would need a property store of its own for it.
 */
export function frameIn(outer: readonly Frame[], section: SectionNode, file: string): Frame {
  return { section, file, context: contextInside(contextOf(outer), section) };
}

function contextInside(around: string, section: SectionNode): string {
  if (section.filter) return around;
  // The engine's one string for it, as the schema's contexts are: the lookups by context compare by identity.
  return around === '' ? section.type : internalized(`${around}/${section.type}`);
}

/**
 * The open sections while a walk places statements. Every statement placed until the stack changes
 * shares one copy of it as its frames (placed entries never change their frames).
 */
export class FrameStack {
  private readonly open: Frame[];
  private copy?: Frame[];
  /** The copy each open section was pushed over: statements after a nested section share it again. */
  private readonly outerCopies: (Frame[] | undefined)[] = [];
  /** The contexts made so far, by the context around and the section type: one string per context, not per section. */
  private readonly contexts = new Map<string, Map<string, string>>();

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

  /** Opens a section of `file`. */
  push(section: SectionNode, file: string): void {
    this.pushFrame({ section, file, context: this.contextOf(section) });
  }

  /** Opens a section whose frame (with its context from contextOf()) is made by the caller. */
  pushFrame(frame: Frame): void {
    this.outerCopies.push(this.copy);
    this.open.push(frame);
    this.copy = undefined;
  }

  /** The context of `section` opened here. */
  contextOf(section: SectionNode): string {
    return this.contextInside(contextOf(this.open), section);
  }

  private contextInside(around: string, section: SectionNode): string {
    if (section.filter || around === '') return contextInside(around, section);
    let byType = this.contexts.get(around);
    if (!byType) this.contexts.set(around, (byType = new Map()));
    let context = byType.get(section.type);
    if (context === undefined) byType.set(section.type, (context = contextInside(around, section)));
    return context;
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
