// Markdown shared by completion documentation and hover, so both describe a setting the same way.
import {
  isAuthSetting,
  type ListenerInfo,
  type PluginKeyInfo,
  type ServiceInfo,
  type SettingInfo,
  type SettingType,
} from '../schema/schema';

/** Labels of the value types both 2.3 and 2.4 have. */
export const SCALAR_TYPE_LABELS = {
  bool: 'boolean (yes/no)',
  uint: 'number',
  octal: 'octal number',
  time: 'time interval (units required)',
  time_msecs: 'time interval in milliseconds (units required)',
  size: 'size',
  port: 'port (0-65535)',
  enum: 'one of a fixed list',
  string: 'string',
  alias: 'alias',
} as const;

const TYPE_LABELS: Readonly<Record<SettingType, string>> = {
  ...SCALAR_TYPE_LABELS,
  string_vars: 'string with %variables',
  section: 'section',
  strlist: 'free-form key = value section',
};

export function typeLabel(type: SettingType): string {
  return TYPE_LABELS[type] ?? type;
}

export function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text}${ticks}`;
}

export function defaultText(value: string): string {
  return value === '' ? '(empty)' : code(value);
}

/** Where a setting of `context` may be written, in Dovecot's own block syntax; auth settings never in local/remote. */
export function contextLabel(context: string, authSetting = false): string {
  if (context === '' && authSetting)
    return 'top level (also inside `protocol` filters; not inside `local`/`remote` filters: auth setting)';
  if (context === '') return 'top level (also inside `protocol`, `local`, `local_name`, `remote` filters)';
  const parts = context.split('/');
  return `inside ${code(parts.map((part) => `${part} {`).join(' ') + ' ' + parts.map(() => '}').join(' '))}`;
}

/** One-line detail for completion items: type and default. */
export function settingDetail(info: SettingInfo): string {
  if (info.type === 'section' || info.type === 'strlist') return typeLabel(info.type);
  return `${typeLabel(info.type)} · default ${info.default === '' ? '(empty)' : info.default}`;
}

/** Description, type, default, allowed values and context of a setting. */
export function settingMarkdown(info: SettingInfo): string {
  let text = markdownOfSettings.get(info);
  if (text === undefined) markdownOfSettings.set(info, (text = buildSettingMarkdown(info)));
  return text;
}

/** The schema's settings never change: completion lists hundreds of them on every request. */
const markdownOfSettings = new WeakMap<SettingInfo, string>();

function buildSettingMarkdown(info: SettingInfo): string {
  const lines: string[] = [];
  if (info.description) lines.push(info.description, '');
  if (info.aliasOf) lines.push(`Alias of ${code(info.aliasOf)}.`, '');
  lines.push(`- Type: ${typeLabel(info.type)}`);
  if (info.type !== 'section' && info.type !== 'strlist') lines.push(`- Default: ${defaultText(info.default)}`);
  if (info.values && info.values.length > 0) lines.push(`- Values: ${info.values.map(code).join(', ')}`);
  lines.push(`- Valid ${contextLabel(info.context, isAuthSetting(info))}`);
  return lines.join('\n');
}

export function pluginKeyMarkdown(key: PluginKeyInfo): string {
  return [
    key.description,
    '',
    `- Value: ${key.shape}`,
    '- Valid inside `plugin { }` (also as a userdb extra field)',
  ].join('\n');
}

export function listenerSummary(listener: ListenerInfo): string {
  const fields = (['mode', 'user', 'group', 'address', 'port', 'ssl', 'reuse_port', 'haproxy'] as const)
    .filter((field) => listener[field] !== undefined && listener[field] !== '')
    .map((field) => `${field} = ${listener[field]}`);
  return `${code(`${listener.kind}_listener ${listener.name}`)}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}`;
}

export function serviceMarkdown(service: ServiceInfo): string {
  const lines = [`**service ${service.name}**`, '', service.role, ''];
  if (service.listeners.length > 0) {
    lines.push('Default listeners:', ...service.listeners.map((listener) => `- ${listenerSummary(listener)}`));
  } else {
    lines.push('No default listeners.');
  }
  if (service.processLimit1) lines.push('', '`process_limit` must be 1 for this service.');
  return lines.join('\n');
}
