import * as path from 'node:path';
import type { ParsedFile, SectionNode, SettingNode } from '../syntax/nodes';
import type { ConfigModel, Placed } from './model';

/**
 * Driver configuration files: the `args` file of a sql, ldap, dict or oauth2 passdb/userdb, and the file
 * of a `dict {}` entry such as `quota = mysql:/etc/dovecot/dovecot-dict-sql.conf.ext`. The auth and dict
 * processes read them with their own keys (`connect`, `password_query`, `uris`, `map {}`...; 2.3.19
 * src/auth/db-sql.c, db-ldap.c, db-dict.c, db-oauth2.c and src/lib-dict-backend/dict-sql-settings.c call
 * lib-settings' settings_read); the configuration parser and doveconf never do. The names below are the
 * ones Dovecot's example configuration gives them (doc/example-config/conf.d/auth-*.conf.ext), and the LDAP
 * one's name before 2.0 (1.2's doc/dovecot-ldap-example.conf), which installers still write.
 */
const CONVENTIONAL_NAMES: ReadonlySet<string> = new Set([
  'dovecot-ldap.conf',
  'dovecot-sql.conf.ext',
  'dovecot-ldap.conf.ext',
  'dovecot-dict-sql.conf.ext',
  'dovecot-dict-auth.conf.ext',
  'dovecot-oauth2.conf.ext',
]);

/** passdb/userdb drivers whose `args` is the path of a driver configuration file. */
const FILE_ARGS_DRIVERS: ReadonlySet<string> = new Set(['sql', 'ldap', 'dict', 'oauth2']);

/** dict drivers whose URI after `driver:` is the path of a dict-sql configuration file. */
const FILE_DICT_DRIVERS: ReadonlySet<string> = new Set(['mysql', 'pgsql', 'sqlite', 'cassandra']);

export function hasConventionalArgsName(file: string): boolean {
  return CONVENTIONAL_NAMES.has(path.basename(file));
}

/**
 * Whether a file's own text makes it a sql or dict-sql driver file whatever its name: a top-level `connect`,
 * the key both drivers require (2.3.19 src/auth/db-sql.c, src/lib-dict-backend/dict-sql-settings.c) and no
 * Dovecot version has as a configuration setting. Installers copy such files under names of their own, and
 * keep copying them once their 2.4 configuration no longer names them.
 */
export function hasDriverOnlyKeys(parsed: ParsedFile): boolean {
  return parsed.statements.some((statement) => statement.kind === 'setting' && statement.key === 'connect');
}

function innermostSection(setting: Placed<SettingNode>): SectionNode | undefined {
  return setting.frames.at(-1)?.section;
}

/** Paths as written (absolute, or relative to the file that names them) of the driver files a tree references. */
export function referencedArgsFiles(model: ConfigModel): { path: string; from: string }[] {
  const bySection = new Map<SectionNode, Placed<SettingNode>[]>();
  for (const setting of model.settings) {
    const section = innermostSection(setting);
    if (section) bySection.set(section, [...(bySection.get(section) ?? []), setting]);
  }
  const references: { path: string; from: string }[] = [];
  for (const [section, settings] of bySection) {
    if (section.type === 'passdb' || section.type === 'userdb') {
      const driver = settings.filter((s) => s.node.key === 'driver').at(-1)?.node.value;
      const args = settings.filter((s) => s.node.key === 'args').at(-1);
      if (driver && FILE_ARGS_DRIVERS.has(driver) && args && args.node.value.trim() !== '')
        references.push({ path: args.node.value.trim(), from: args.file });
    } else if (section.type === 'dict') {
      for (const entry of settings) {
        const uri = /^(\w+):(.+)$/.exec(entry.node.value.trim());
        if (uri && FILE_DICT_DRIVERS.has(uri[1])) references.push({ path: uri[2], from: entry.file });
      }
    }
  }
  return references;
}

/**
 * Whether a tree names `file` as a driver configuration file: the path resolves to it, or (a copy of a
 * server's /etc/dovecot in a workspace) an absolute path ends with the file's path below the root's folder.
 */
export function isReferencedArgsFile(model: ConfigModel, file: string): boolean {
  const belowRoot = path.relative(path.dirname(model.root), file).split(path.sep).join('/');
  return referencedArgsFiles(model).some((reference) => {
    if (path.resolve(path.dirname(reference.from), reference.path) === file) return true;
    return (
      path.isAbsolute(reference.path) &&
      !belowRoot.startsWith('..') &&
      reference.path.split(path.sep).join('/').endsWith(`/${belowRoot}`)
    );
  });
}
