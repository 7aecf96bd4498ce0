// A 2.3 event_exporter { } names where events go with transport, transport_args and transport_timeout, and
// the timestamp form with format_args (src/stats/stats-settings.c@2.3.21: transports log, drop, http-post;
// format args time-rfc3339, time-unix). 2.4 names the transport driver, the http-post URL http_post_url, its
// timeout http_client_request_absolute_timeout (the 2.3 timeout bounded the whole request, and 2.4's default
// for the exporter is the same 250 ms: event-exporter-transport-http-post.c@2.4.4) and the timestamp form
// time_format (stats-settings.c@2.4.4). The log and drop transports ignored transport_args and transport_timeout.
import type { Placed } from '../model/model';
import type { SectionNode, SettingNode } from '../syntax/nodes';
import { innermost, rawValueOf, type MigrationContext } from './context';
import { converted, notConverted } from './report';

export const EVENT_EXPORTER_RULE = 'event-exporter';

const TRANSPORTS_23: ReadonlySet<string> = new Set(['log', 'drop', 'http-post']);
const TIME_FORMATS: Readonly<Record<string, string>> = { 'time-rfc3339': 'rfc3339', 'time-unix': 'unix' };

/** A one-line value written plainly: no variable, setting reference or file to read. */
function plainValue(ctx: MigrationContext, placed: Placed<SettingNode>): string | undefined {
  const { range, valueKind } = placed.node;
  if (range.start.line !== range.end.line || valueKind === 'file') return undefined;
  const raw = ctx.currentRawValue(placed);
  const value = raw.replace(/^"(.*)"$/, '$1');
  return /[%$\\"]/.test(value) ? undefined : value;
}

export function applyEventExporters(ctx: MigrationContext): void {
  const settings = ctx.liveSettings();
  for (const section of ctx.liveSections()) {
    if (section.node.type !== 'event_exporter') continue;
    const children = settings.filter((placed) => innermost(placed.frames) === section.node);
    convertExporter(ctx, section, children);
  }
}

function convertExporter(ctx: MigrationContext, section: Placed<SectionNode>, children: Placed<SettingNode>[]): void {
  const child = (key: string): Placed<SettingNode> | undefined => children.find((placed) => placed.node.key === key);
  const name = section.node.name;
  const transportSetting = child('transport');
  const transport = transportSetting && plainValue(ctx, transportSetting);
  if (transportSetting && transport !== undefined && TRANSPORTS_23.has(transport)) {
    ctx.setKey(transportSetting, 'driver');
    converted(ctx, at(transportSetting), EVENT_EXPORTER_RULE, `transport = ${transport} became driver = ${transport}.`);
    for (const key of ['transport_args', 'transport_timeout']) {
      const placed = child(key);
      if (placed) convertTransportSetting(ctx, name, transport, placed);
    }
  }
  convertFormatArgs(ctx, name, child('format_args'));
}

function convertTransportSetting(
  ctx: MigrationContext,
  name: string,
  transport: string,
  placed: Placed<SettingNode>,
): void {
  const key = placed.node.key;
  if (transport !== 'http-post') {
    ctx.commentOut(placed.file, placed.node.range, `${key} has no effect with the ${transport} driver`);
    converted(
      ctx,
      at(placed),
      EVENT_EXPORTER_RULE,
      `${key} of event_exporter ${name}: the ${transport} transport ignored it in 2.3 and 2.4 has no such setting; commented out.`,
    );
    return;
  }
  const value = plainValue(ctx, placed);
  if (value === undefined) return;
  const key24 = key === 'transport_args' ? 'http_post_url' : 'http_client_request_absolute_timeout';
  ctx.replaceSettingLine(placed, [`${key24} = ${rawValueOf(value)}`]);
  converted(ctx, at(placed), EVENT_EXPORTER_RULE, `${key} = ${value} of the http-post exporter became ${key24}.`);
}

function convertFormatArgs(ctx: MigrationContext, name: string, formatArgs: Placed<SettingNode> | undefined): void {
  const words =
    formatArgs &&
    plainValue(ctx, formatArgs)
      ?.split(/\s+/)
      .filter((word) => word !== '');
  if (!formatArgs || !words) return;
  const formats = new Set(words.map((word): string | undefined => TIME_FORMATS[word]));
  if (formats.has(undefined) || formats.size > 1) {
    ctx.commentOut(formatArgs.file, formatArgs.node.range, 'format_args is time_format in 2.4');
    notConverted(
      ctx,
      at(formatArgs),
      EVENT_EXPORTER_RULE,
      `format_args = ${words.join(' ')} of event_exporter ${name} is not one of time-rfc3339 or time-unix; commented out.`,
      'Set time_format = rfc3339 or time_format = unix in the exporter.',
    );
    return;
  }
  const [format] = [...formats];
  if (format === undefined) {
    ctx.commentOut(formatArgs.file, formatArgs.node.range, 'an empty format_args sets nothing');
    converted(ctx, at(formatArgs), EVENT_EXPORTER_RULE, 'format_args = (empty) sets nothing: commented out.');
    return;
  }
  ctx.replaceSettingLine(formatArgs, [`time_format = ${format}`]);
  converted(
    ctx,
    at(formatArgs),
    EVENT_EXPORTER_RULE,
    `format_args = ${words.join(' ')} became time_format = ${format}.`,
  );
}

function at(placed: Placed<SettingNode>): { file: string; range: SettingNode['range'] } {
  return { file: placed.file, range: placed.node.range };
}
