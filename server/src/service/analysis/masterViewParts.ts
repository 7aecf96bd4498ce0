// What both versions' views of the master's services share: the kinds of listener blocks, and where a
// finding goes. A view makes a place for every value it reads; the range of the line is made only when a
// finding reads it (most values never give one).
import type { MergedSection } from '../model/effective';
import type { Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';
import type { ListenerKind, Place } from './masterChecks';

/** The listener kind of each listener block type. */
export const LISTENER_KINDS: Readonly<Record<string, ListenerKind>> = {
  unix_listener: 'unix',
  fifo_listener: 'fifo',
  inet_listener: 'inet',
};

/** A setting's line as a place. */
export function placeOfSetting(entry: Placed<SettingNode>): Place {
  return {
    file: entry.file,
    get range() {
      return entry.node.range;
    },
  };
}

/** A merged section's first header as a place. */
export function placeOfSection(section: MergedSection): Place {
  const first = section.occurrences[0];
  return {
    file: first.file,
    get range() {
      return first.node.headerRange;
    },
  };
}
