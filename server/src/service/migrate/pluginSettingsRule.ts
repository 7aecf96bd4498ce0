// Plugin settings whose 2.3 value packed several settings into one string: `acl = vfile:PATH:cache_secs=N`
// becomes acl_driver and acl_cache_ttl, `fts = flatcurve` the 2.4 `fts flatcurve { }` block (docs
// 2.4-converted-settings.inc; acl-settings.c@2.4.4). What has no 2.4 form is reported.
import type { Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';
import type { MigrationContext } from './context';
import { converted, notConverted, leftToHand } from './report';

export const PLUGIN_SETTINGS_RULE = 'plugin-settings';

const FTS_DRIVERS_24: ReadonlySet<string> = new Set(['flatcurve']);

function inPlugin(placed: Placed<SettingNode>): boolean {
  return placed.frames.some((frame) => frame.section.type === 'plugin');
}

export function applyPluginSettings(ctx: MigrationContext): void {
  for (const placed of ctx.liveSettings()) {
    if (!inPlugin(placed) || placed.node.range.start.line !== placed.node.range.end.line) continue;
    if (placed.node.key === 'acl') convertAcl(ctx, placed);
    else if (placed.node.key === 'fts') convertFts(ctx, placed);
    else if (placed.node.key === 'fts_solr') {
      ctx.commentOut(placed.file, placed.node.range, 'fts_solr needs converting by hand');
      notConverted(
        ctx,
        { file: placed.file, range: placed.node.range },
        PLUGIN_SETTINGS_RULE,
        'fts_solr: the Solr options string has no automatic 2.4 form; commented out.',
        'Write fts solr { } with fts_solr_url and the other fts_solr_* settings by hand.',
      );
    }
  }
}

function convertAcl(ctx: MigrationContext, placed: Placed<SettingNode>): void {
  const at = { file: placed.file, range: placed.node.range };
  const [driver, ...params] = placed.node.value.split(':');
  const lines = [`acl_driver = ${driver}`];
  const left: string[] = [];
  for (const param of params) {
    const cache = /^cache_secs=(\d+)$/.exec(param);
    if (cache) lines.push(`acl_cache_ttl = ${cache[1]} secs`);
    else left.push(param);
  }
  if (driver !== 'vfile') {
    leftToHand(
      ctx,
      placed,
      PLUGIN_SETTINGS_RULE,
      'acl needs converting by hand',
      `acl = ${placed.node.value}: the ${driver} ACL backend has no automatic 2.4 form; commented out.`,
      'Set acl_driver and the 2.4 acl settings by hand.',
    );
    return;
  }
  ctx.replaceSettingLine(
    placed,
    left.length > 0 ? [...lines, `# [2.4 migration] acl parameters not converted: ${left.join(':')}`] : lines,
  );
  if (left.length > 0) {
    notConverted(
      ctx,
      at,
      PLUGIN_SETTINGS_RULE,
      `acl = ${placed.node.value} became ${lines.join(', ')}; the global ACL path ${left.join(':')} was left out.`,
      'In 2.4 global ACLs are written as acl blocks inside namespace/mailbox blocks (or a global ACL file set up by hand): convert the global ACL file by hand.',
    );
  } else {
    converted(ctx, at, PLUGIN_SETTINGS_RULE, `acl = ${placed.node.value} became ${lines.join(', ')}.`);
  }
}

function convertFts(ctx: MigrationContext, placed: Placed<SettingNode>): void {
  const at = { file: placed.file, range: placed.node.range };
  const driver = placed.node.value.trim();
  if (FTS_DRIVERS_24.has(driver)) {
    ctx.replaceSettingLine(placed, [`fts ${driver} {`, '}']);
    converted(ctx, at, PLUGIN_SETTINGS_RULE, `fts = ${driver} became the 2.4 block fts ${driver} { }.`);
    return;
  }
  leftToHand(
    ctx,
    placed,
    PLUGIN_SETTINGS_RULE,
    `fts = ${driver} needs converting by hand`,
    `fts = ${driver}: ${driver === 'solr' ? 'the Solr backend is configured with fts solr { } and fts_solr_* settings in 2.4' : `the ${driver} backend does not exist in 2.4 (flatcurve replaces lucene and squat)`}; commented out.`,
    driver === 'solr'
      ? 'Write fts solr { } with fts_solr_url by hand (the fts_solr plugin must be built).'
      : 'Switch to fts flatcurve { } and rebuild the indexes.',
  );
}
