#!/usr/bin/env node
// Generates data/dovecot/mail-plugin-dependencies.json: for each Dovecot version, the mail plugins that
// name other plugins in a `<module>_dependencies[]` array. src/lib/module-dir.c looks that symbol up when
// it loads a plugin and refuses it ("Plugin X must be loaded also") unless a module of that name is
// already loaded; modules load in the sorted order of their file names, so the script also checks that
// every dependency's file sorts before its dependent's (then listing both in mail_plugins is enough).
// It also lists the plugins a `<module>_binary_dependency` keeps to some programs (imap_quota to imap), with
// their module file: module-dir.c refuses them in any other program ("Plugin is intended to be used only by
// imap binary"), where they often fail to open already (their symbols are the program's own).
//
// A mail plugin is a library a Makefile.am installs in Dovecot's module directory (module_LTLIBRARIES,
// dovecot_module_LTLIBRARIES, or X_LTLIBRARIES where Xdir = $(moduledir)); doveadm, sieve, auth and
// settings plugins live in subdirectories and are not loaded by mail_plugins.
//
//   node scripts/mail-plugin-dependencies.mjs [--mirrors DIR] [--check]
// DIR holds bare git mirrors as OWNER+NAME/repo (default $DOVECOT_SOURCE_MIRRORS or /work/.mirror): dovecot/core,
// dovecot/pigeonhole and grosjo/fts-xapian, read at the tags below. All tags of one repository for one
// version must agree. --check: exit 1 when the checked-in file differs.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = join(ROOT, 'data', 'dovecot', 'mail-plugin-dependencies.json');

/** The sources read for each version; fts-xapian 1.9.2 documents its setup for both 2.3 and 2.4. */
export const SOURCES = {
  2.3: [
    { repo: 'dovecot/core', tags: ['2.3.19', '2.3.21'] },
    { repo: 'dovecot/pigeonhole', tags: ['0.5.19', '0.5.21'] },
    { repo: 'grosjo/fts-xapian', tags: ['1.9.2'] },
  ],
  2.4: [
    { repo: 'dovecot/core', tags: ['2.4.4'] },
    { repo: 'dovecot/pigeonhole', tags: ['2.4.4'] },
    { repo: 'grosjo/fts-xapian', tags: ['1.9.2'] },
  ],
};

const DEPENDENCIES = /char\s*\*\s*(?:const\s+)?(\w+)_dependencies\s*\[\s*\]\s*=\s*\{([^}]*)\}/g;
/** module_check_wrong_binary_dependency(): the only programs that may load the module (`imap`). */
const BINARY_DEPENDENCY = /char\s+(\w+)_binary_dependency\s*\[\s*\]\s*=\s*"([^"]*)"/g;
const ASSIGNMENT = /^(\w+)\s*\+?=((?:[^\n]*\\\n)*[^\n]*)/gm;
const DIRECTORY = /^(\w+)dir\s*=\s*(\S+)\s*$/gm;

export function mirrorOf(mirrors, repo) {
  return join(mirrors, repo.replace('/', '+'), 'repo');
}

function git(mirror, ...args) {
  return execFileSync('git', ['-C', mirror, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** `lib21_fts_solr_plugin.la` -> module `fts_solr_plugin` (module_file_get_name: no `lib`, no `NN_`). */
function moduleName(library) {
  return library
    .replace(/\.la$/, '')
    .replace(/^lib/, '')
    .replace(/^[0-9]*_/, '');
}

/**
 * The libraries one Makefile.am installs in the module directory itself, each with the modules its LIBADD
 * links (variables of the same file expanded, both arms of an `if` taken: DOVECOT_PLUGIN_DEPS is on except on
 * macOS). A plugin linked to its dependency gets it loaded as a library when it is opened, so Dovecot's own
 * check reports the missing dependency; one that is not fails to open where symbols are bound at once.
 */
function mailModules(makefile) {
  const inModuleDir = new Set(['module', 'dovecot_module']);
  for (const [, prefix, dir] of makefile.matchAll(DIRECTORY)) {
    if (dir === '$(moduledir)' || dir === '$(dovecot_moduledir)') inModuleDir.add(prefix);
  }
  const variables = new Map();
  for (const [, name, value] of makefile.matchAll(ASSIGNMENT))
    variables.set(name, `${variables.get(name) ?? ''} ${value.replace(/\\\n/g, ' ')}`);
  const expand = (text, depth = 0) =>
    depth > 4 ? text : text.replace(/\$\((\w+)\)/g, (_, name) => expand(variables.get(name) ?? '', depth + 1));
  const libraries = new Map();
  for (const [name, list] of variables) {
    const prefix = /^(\w+)_LTLIBRARIES$/.exec(name)?.[1];
    if (prefix === undefined || !inModuleDir.has(prefix)) continue;
    for (const word of list.split(/\s+/)) {
      if (!/^lib\w+\.la$/.test(word)) continue;
      const linked = expand(variables.get(`${word.replace(/\.la$/, '')}_la_LIBADD`) ?? '');
      libraries.set(word, new Set([...linked.matchAll(/lib\w+\.la/g)].map((match) => moduleName(match[0]))));
    }
  }
  return libraries;
}

/** What one repository at one tag says: its mail modules by module name, and the dependency arrays of its sources. */
function scan(mirror, repo, tag) {
  const grep = (pattern, ...paths) => {
    const run = spawnSync('git', ['-C', mirror, 'grep', '-l', '-E', pattern, tag, '--', ...paths], {
      encoding: 'utf8',
    });
    // git grep exits 1 when nothing matches.
    if (run.status !== 0 && run.status !== 1) throw new Error(`git grep in ${repo} ${tag}: ${run.stderr}`);
    return run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(tag.length + 1));
  };
  const files = [
    ...grep('_LTLIBRARIES', 'src/*Makefile.am', 'src/Makefile.am'),
    ...grep('_dependenc(ies|y)\\s*\\[\\s*\\]\\s*=', 'src/*.c', 'src/*.cpp'),
  ];
  const modules = new Map();
  const arrays = [];
  const binaries = new Map();
  for (const file of files) {
    const text = git(mirror, 'show', `${tag}:${file}`);
    if (file.endsWith('Makefile.am')) {
      for (const [library, links] of mailModules(text))
        modules.set(moduleName(library), { file: library.replace(/\.la$/, '.so'), links });
      continue;
    }
    for (const match of text.matchAll(DEPENDENCIES)) {
      const names = [...match[2].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
      const line = text.slice(0, match.index).split('\n').length;
      arrays.push({ module: match[1], dependencies: names, where: `${repo} ${tag} ${file}:${line}` });
    }
    for (const match of text.matchAll(BINARY_DEPENDENCY)) {
      const line = text.slice(0, match.index).split('\n').length;
      binaries.set(match[1], { programs: match[2].split(' '), where: `${repo} ${tag} ${file}:${line}` });
    }
  }
  return { modules, arrays, binaries };
}

/** module-dir.c's module_name_cmp(): file names compared without a leading `lib`. */
function loadsBefore(a, b) {
  return a.replace(/^lib/, '') < b.replace(/^lib/, '');
}

function generateVersion(mirrors, version) {
  const modules = new Map();
  const plugins = [];
  const loadedOnlyBy = {};
  for (const { repo, tags } of SOURCES[version]) {
    const scans = tags.map((tag) => scan(mirrorOf(mirrors, repo), repo, tag));
    const facts = scans.map(({ modules: found, arrays, binaries }) =>
      JSON.stringify([
        arrays
          .filter((array) => found.has(array.module))
          .map(({ module, dependencies }) => [module, dependencies, [...found.get(module).links].sort()]),
        [...binaries]
          .filter(([module]) => found.has(module))
          .map(([module, { programs }]) => [module, programs])
          .sort(),
      ]),
    );
    if (new Set(facts).size !== 1)
      throw new Error(`${repo} ${tags.join(' and ')} disagree on mail plugin dependencies for ${version}`);
    const last = scans[scans.length - 1];
    for (const [module, { file }] of last.modules) modules.set(module, file);
    for (const [module, { programs, where }] of last.binaries)
      if (last.modules.has(module))
        loadedOnlyBy[module.replace(/_plugin$/, '')] = {
          programs,
          module: last.modules.get(module).file,
          definedIn: where,
        };
    for (const array of last.arrays) {
      const module = last.modules.get(array.module);
      if (!module || array.dependencies.length === 0) continue;
      plugins.push({
        name: array.module.replace(/_plugin$/, ''),
        module: module.file,
        dependencies: array.dependencies,
        linked: array.dependencies.every((name) => module.links.has(`${name}_plugin`)),
        definedIn: array.where,
      });
    }
  }
  for (const plugin of plugins) {
    for (const dependency of plugin.dependencies) {
      const file = modules.get(`${dependency}_plugin`) ?? modules.get(dependency);
      if (!file) throw new Error(`${version}: ${plugin.name} depends on ${dependency}, which is no mail plugin`);
      if (!loadsBefore(file, plugin.module))
        throw new Error(`${version}: ${plugin.name} (${plugin.module}) loads before its dependency ${file}`);
    }
  }
  return {
    from: SOURCES[version].map(({ repo, tags }) => `${repo} ${tags.join(', ')}`),
    plugins: plugins.sort((a, b) => a.name.localeCompare(b.name)),
    loadedOnlyBy: Object.fromEntries(Object.entries(loadedOnlyBy).sort(([a], [b]) => a.localeCompare(b))),
  };
}

export function generate(mirrors) {
  const versions = Object.fromEntries(
    Object.keys(SOURCES).map((version) => [version, generateVersion(mirrors, version)]),
  );
  return (
    JSON.stringify(
      {
        source:
          'Generated by scripts/mail-plugin-dependencies.mjs from the <module>_dependencies[] arrays of the mail plugins (src/lib/module-dir.c refuses a plugin whose dependency is not loaded), and their <module>_binary_dependency (loadedOnlyBy: the only programs that may load the plugin, and its module file).',
        versions,
      },
      null,
      1,
    ) + '\n'
  );
}

const args = process.argv.slice(2);
if (import.meta.url === `file://${process.argv[1]}`) {
  const at = args.indexOf('--mirrors');
  const mirrors = resolve(at >= 0 ? args[at + 1] : process.env.DOVECOT_SOURCE_MIRRORS || '/work/.mirror');
  const text = generate(mirrors);
  if (args.includes('--check')) {
    if (readFileSync(OUTPUT, 'utf8') !== text) {
      console.error(`${OUTPUT} is not current: run without --check`);
      process.exit(1);
    }
    console.log('mail-plugin-dependencies.json is current');
  } else {
    writeFileSync(OUTPUT, text);
    console.log(`wrote ${OUTPUT}`);
  }
}
