// What both versions' views of the master's services share: the kinds of listener blocks, and where a
// finding goes. A view makes a place for every value it reads; the range of the line is made only when a
// finding reads it (most values never give one).
import type { MergedSection } from '../model/effective';
import type { Placed } from '../model/model';
import type { Range } from 'vscode-languageserver-types';
import type { SectionNode, SettingNode } from '../syntax/nodes';
import type { ListenerKind, Place } from './masterChecks';

/** The listener kind of each listener block type. */
export const LISTENER_KINDS: Readonly<Record<string, ListenerKind>> = {
  unix_listener: 'unix',
  fifo_listener: 'fifo',
  inet_listener: 'inet',
};

/** A setting's line as a place. A class, not a literal with a getter: V8 makes such a literal about 20 times slower. */
class SettingPlace implements Place {
  readonly file: string;

  constructor(private readonly entry: Placed<SettingNode>) {
    this.file = entry.file;
  }

  get range(): Range {
    return this.entry.node.range;
  }
}

/** A merged section's first header as a place. */
class SectionPlace implements Place {
  readonly file: string;

  constructor(private readonly first: Placed<SectionNode>) {
    this.file = first.file;
  }

  get range(): Range {
    return this.first.node.headerRange;
  }
}

/** A setting's line as a place. */
export function placeOfSetting(entry: Placed<SettingNode>): Place {
  return new SettingPlace(entry);
}

/** A merged section's first header as a place. */
export function placeOfSection(section: MergedSection): Place {
  // The master's services and listeners are sections: each was opened at least once.
  return new SectionPlace(section.opening as Placed<SectionNode>);
}

/** The later of a block's assignments of these keys (a setting written short or by its full name). */
export function lastOf(section: MergedSection | undefined, ...keys: string[]): Placed<SettingNode> | undefined {
  let last: Placed<SettingNode> | undefined;
  for (const key of keys) {
    const entry = section?.settings.get(key);
    if (entry && (!last || entry.order > last.order)) last = entry;
  }
  return last;
}

/** A block without a name (`service {`): doveconf -n already rejects it (`service { } is missing section name`). */
export function isNameless(section: MergedSection): boolean {
  return section.name === '' && !section.opening?.node.nameQuoted;
}
