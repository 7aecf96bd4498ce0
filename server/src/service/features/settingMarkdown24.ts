// Markdown for Dovecot 2.4 settings, shared by completion24 and hover24 (2.4 counterpart of settingMarkdown.ts).
import {
  allServices24,
  isAuthSetting24,
  type Service24Info,
  type Setting24Info,
  type Setting24Type,
} from '../schema/schema24';
import type { FilterKind } from '../syntax/nodes';
import { code, defaultText, SCALAR_TYPE_LABELS } from './settingMarkdown';

const TYPE_LABELS_24: Readonly<Record<Setting24Type, string>> = {
  ...SCALAR_TYPE_LABELS,
  uint: 'number (or unlimited)',
  time: 'time interval (units required, or unlimited)',
  time_msecs: 'time interval in milliseconds (units required, or unlimited)',
  size: 'size (or unlimited)',
  uintmax: 'number',
  string_novars: 'string (no %{variables})',
  file: 'file path',
  boollist: 'boolean list',
  strlist: 'free-form key = value list',
  filter: 'named filter',
  filter_list: 'named list filter',
};

/** Filters that are not settings (FACTS §4.2: the nesting order is still local > local_name > remote > protocol). */
export const FILTER_DESCRIPTIONS_24: Readonly<Record<FilterKind, string>> = {
  protocol:
    'Filter block: the settings inside apply only to the named protocol (`imap`, `pop3`, `lmtp`, `submission`, ...).',
  local: 'Filter block: the settings inside apply to connections made to this local IP address or network.',
  local_name:
    'Filter block: the settings inside apply to TLS connections whose SNI server name matches. One name per block in 2.4.',
  remote: 'Filter block: the settings inside apply to connections coming from this client IP address or network.',
};

/** The built-in services of Dovecot 2.4.4 (with Pigeonhole), from its `doveconf -d`. */
export function services24(): readonly Service24Info[] {
  return allServices24();
}

export function isBlock24(info: Setting24Info): boolean {
  return info.type === 'filter' || info.type === 'filter_list' || info.type === 'boollist' || info.type === 'strlist';
}

function defaultLine(info: Setting24Info): string {
  if (info.defaultUnknown) return `set at build time (${code(info.defaultUnknown)})`;
  return defaultText(info.default);
}

/** One-line detail for completion items: type and default. */
export function settingDetail24(info: Setting24Info): string {
  const type = TYPE_LABELS_24[info.type] ?? info.type;
  if (isBlock24(info) || info.type === 'alias') return type;
  return `${type} · default ${info.defaultUnknown ? 'set at build time' : info.default === '' ? '(empty)' : info.default}`;
}

/** Description, type, default and allowed values of a 2.4 setting; `written` is the name as used in the block. */
export function settingMarkdown24(info: Setting24Info, written = info.name): string {
  const lines: string[] = [];
  if (info.description) lines.push(info.description, '');
  if (written !== info.name)
    lines.push(
      `Written here as ${code(written)}: the global setting ${code(info.name)} (filter prefix, Dovecot 2.4).`,
      '',
    );
  lines.push(`- Type: ${TYPE_LABELS_24[info.type] ?? info.type}`);
  if (!isBlock24(info) && info.type !== 'alias') lines.push(`- Default: ${defaultLine(info)}`);
  if (info.values && info.values.length > 0) lines.push(`- Values: ${info.values.map(code).join(', ')}`);
  if (info.requiredSetting) lines.push(`- Must contain: ${code(info.requiredSetting)}`);
  lines.push(`- Filters: ${allowedFilters24(info)}`);
  return lines.join('\n');
}

/** Where the setting may be written (doveconf 2.4's restrictions; everything else is allowed in any filter). */
export function allowedFilters24(info: Setting24Info): string {
  if (isAuthSetting24(info))
    return 'global, `protocol` and named filters; not inside `local`, `local_name` or `remote` (an auth setting)';
  switch (info.name) {
    case 'service':
      return 'global and filters, not inside another named list filter (`service`, `passdb`, `namespace`, ...)';
    case 'namespace':
      return 'global and filters, not inside `namespace` or `mailbox`';
    case 'mailbox':
      return 'global, `namespace` and other filters, not inside another `mailbox`';
    default:
      return 'global or inside any filter (`protocol`, `local`, `remote`, named filters)';
  }
}
