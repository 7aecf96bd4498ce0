// Recreates the real-world corpus (test/corpus/manifest.json) from bare git mirrors of the projects.
// Each tree becomes a folder that stands for the file system root of the host the project configures:
// files land at their installed paths (etc/dovecot/dovecot.conf ...), absolute paths of the tree's
// `rootPaths` are rewritten to point inside the folder, templates are rendered with the fixed values
// of the manifest, and the placeholders it lists are written. No config text is kept in the repo.
//
// Usage: node scripts/corpus-fetch.mjs [--mirrors DIR] [--out DIR] [TREE_ID...]
//   --mirrors  folder holding OWNER+NAME/repo bare mirrors (default /work/.mirror, or $DOVECOT_CORPUS_MIRRORS)
//   --out      where the trees are written (default $XDG_CACHE_HOME/dovecot-lsp/corpus, or $DOVECOT_CORPUS_DIR)
// Jinja2 templates are rendered by Python's jinja2 (Debian python3-jinja2; role defaults read with python3-yaml), as Ansible and the
// projects' own entry points do. A distribution's patch to upstream files is applied
// with GNU patch (Debian patch), as its package build applies it. A Helm chart's ConfigMap template is rendered
// for the subset of Go templates it uses (renderHelm), with Python's yaml.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST = join(REPO, 'test', 'corpus', 'manifest.json');

function defaultCorpusDir() {
  if (process.env.DOVECOT_CORPUS_DIR) return resolve(process.env.DOVECOT_CORPUS_DIR);
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'dovecot-lsp', 'corpus');
}

function parseArgs(argv) {
  const options = { mirrors: process.env.DOVECOT_CORPUS_MIRRORS || '/work/.mirror', out: defaultCorpusDir(), only: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--mirrors') options.mirrors = resolve(argv[++i]);
    else if (argv[i] === '--out') options.out = resolve(argv[++i]);
    else options.only.push(argv[i]);
  }
  return options;
}

function gitShow(mirror, commit, path) {
  return execFileSync('git', ['-C', mirror, 'show', `${commit}:${path}`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Python's jinja2 with the few Ansible filters and tests (version) the templates use; values are passed as JSON. */
const JINJA = String.raw`
import json, re, sys
import jinja2
job = json.load(sys.stdin)
env = jinja2.Environment(keep_trailing_newline=True, undefined=jinja2.StrictUndefined if job.get("strict") else jinja2.Undefined)
def to_bool(v):
    return v if isinstance(v, bool) else str(v).strip().lower() in ("yes", "on", "1", "true")
env.filters["bool"] = to_bool
env.filters["mandatory"] = lambda v: v
env.filters["regex_replace"] = lambda v, p, r="": re.sub(p, r, str(v))
env.filters["ternary"] = lambda v, a, b: a if v else b
env.filters["to_json"] = json.dumps
env.filters["quote"] = lambda v: "'" + str(v).replace("'", "'\\''") + "'"
def version_test(value, other, operator="eq"):
    def parts(v):
        return [int(p) for p in re.findall(r"\d+", str(v))]
    a, b = parts(value), parts(other)
    return {"<": a < b, "lt": a < b, "<=": a <= b, "le": a <= b, ">": a > b, "gt": a > b, ">=": a >= b, "ge": a >= b,
            "==": a == b, "=": a == b, "eq": a == b, "!=": a != b, "<>": a != b, "ne": a != b}[operator]
env.tests["version"] = version_test
values = job["values"]
for _ in range(5):  # role defaults refer to each other: render string values until they settle
    changed = False
    for key, value in list(values.items()):
        if isinstance(value, str) and ("{{" in value or "{%" in value):
            rendered = env.from_string(value).render(values)
            changed = changed or rendered != value
            values[key] = rendered
    if not changed:
        break
sys.stdout.write(env.from_string(job["template"]).render(values))
`;

function renderJinja(template, values) {
  const result = spawnSync('python3', ['-c', JINJA], {
    input: JSON.stringify({ template, values }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) {
    throw new Error(
      `jinja2 rendering failed (needs python3 with jinja2, Debian python3-jinja2): ${result.error?.message ?? result.stderr}`,
    );
  }
  return result.stdout;
}

/** Role defaults (defaults/main.yml) read with Python's yaml, as Ansible reads them. */
function readYamlValues(text) {
  const result = spawnSync(
    'python3',
    ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin.read()) or {}))'],
    { input: text, encoding: 'utf8' },
  );
  if (result.error || result.status !== 0)
    throw new Error(`reading YAML defaults failed (needs python3-yaml): ${result.error?.message ?? result.stderr}`);
  return JSON.parse(result.stdout);
}

/**
 * A Helm chart's template rendered as `helm template` renders it, for the subset of Go's text/template charts
 * use around a configuration file: `{{ .Values.a.b }}`, `join "sep" .Values.list`, `if`/`else`/`end` on a value
 * or `not` a value, trim markers `{{-`/`-}}`; `include`/`template` (the chart's helpers: names, labels) render
 * empty, since only the file in the ConfigMap's `data` is taken. Anything else stops the fetch. Values are the
 * chart's values.yaml files with the manifest's merged over them, as `helm template --set` does.
 */
const HELM = String.raw`
import json, re, sys
import yaml
job = json.load(sys.stdin)
def merge(base, over):
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict): merge(base[key], value)
        else: base[key] = value
    return base
values = {}
for text in job["valuesFiles"]: merge(values, yaml.safe_load(text) or {})
merge(values, job["values"])
def lookup(path):
    if not path.startswith(".Values."): raise SystemExit("unsupported value " + path)
    node = values
    for part in path[len(".Values."):].split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node
def truthy(v):
    return not (v is None or v is False or v == 0 or v == "" or v == [] or v == {})
def show(v):
    if v is None: return ""
    if isinstance(v, bool): return "true" if v else "false"
    if isinstance(v, float) and v.is_integer(): return str(int(v))
    return str(v)
def words(action):
    return re.findall(r'"[^"]*"|\S+', action)
def evaluate(action):
    w = words(action)
    if w[0] in ("include", "template"): return ""
    if w[0] == "join" and len(w) == 3: return w[1][1:-1].join(show(x) for x in (lookup(w[2]) or []))
    if len(w) == 1: return show(lookup(w[0]))
    raise SystemExit("unsupported action {{ " + action + " }}")
def condition(action):
    w = words(action)
    if len(w) == 2 and w[0] == "not": return not truthy(lookup(w[1]))
    if len(w) == 1: return truthy(lookup(w[0]))
    raise SystemExit("unsupported condition " + action)
parts = re.split(r"(\{\{-?\s*.*?\s*-?\}\})", job["template"])
out, stack = [], [True]
for i, part in enumerate(parts):
    if i % 2 == 0:
        if i > 0 and parts[i - 1].endswith("-}}"): part = part.lstrip()
        if i + 1 < len(parts) and parts[i + 1].startswith("{{-"): part = part.rstrip()
        if all(stack): out.append(part)
        continue
    action = re.sub(r"^\{\{-?\s*|\s*-?\}\}$", "", part)
    if action.startswith("if "): stack.append(all(stack) and condition(action[3:]))
    elif action == "else": stack[-1] = not stack[-1] and all(stack[:-1])
    elif action == "end": stack.pop()
    elif all(stack): out.append(evaluate(action))
document = yaml.safe_load("".join(out))
sys.stdout.write(document["data"][job["dataKey"]])
`;

function renderHelm(template, renderSpec, tree, mirror) {
  const result = spawnSync('python3', ['-c', HELM], {
    input: JSON.stringify({
      template,
      valuesFiles: (renderSpec.valuesFrom ?? []).map((path) => gitShow(mirror, tree.commit, path)),
      values: renderSpec.values ?? {},
      dataKey: renderSpec.dataKey,
    }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || result.status !== 0)
    throw new Error(`tree ${tree.id}: Helm template rendering failed: ${result.error?.message ?? result.stderr}`);
  return result.stdout;
}

/** Python's string.Template with the project's own delimiter (modoboa-installer: `%name`, `%%` for a literal `%`). */
function renderPythonTemplate(template, values, delimiter) {
  const script =
    'import json,string,sys\njob=json.load(sys.stdin)\nclass T(string.Template):\n    delimiter=job["delimiter"]\nsys.stdout.write(T(job["template"]).substitute(job["values"]))';
  const result = spawnSync('python3', ['-c', script], {
    input: JSON.stringify({ template, values, delimiter }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || result.status !== 0)
    throw new Error(`string.Template rendering failed: ${result.error?.message ?? result.stderr}`);
  return result.stdout;
}

function render(text, renderSpec, tree, mirror) {
  if (!renderSpec || renderSpec.engine === 'none') return text;
  if (renderSpec.engine === 'python-template')
    return (renderSpec.prefix ?? '') + renderPythonTemplate(text, renderSpec.values, renderSpec.delimiter);
  if (renderSpec.engine === 'replace') {
    let out = text;
    for (const [from, to] of renderSpec.pairs) out = out.split(from).join(to);
    return out;
  }
  if (renderSpec.engine === 'jinja2') {
    const defaults = (renderSpec.defaultsFrom ?? []).reduce(
      (values, path) => ({ ...values, ...readYamlValues(gitShow(mirror, tree.commit, path)) }),
      {},
    );
    return renderJinja(text, { ...defaults, ...(renderSpec.values ?? {}) });
  }
  if (renderSpec.engine === 'helm') return renderHelm(text, renderSpec, tree, mirror);
  throw new Error(`tree ${tree.id}: unknown render engine ${renderSpec.engine}`);
}

function listFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Absolute paths under one of the tree's rootPaths now point into the tree's folder. */
function rewriteRootPaths(treeDir, rootPaths) {
  if (!rootPaths?.length) return;
  const escaped = rootPaths.map((prefix) => prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(^|[^\\w./-])(${escaped.join('|')})`, 'gm');
  for (const file of listFiles(treeDir)) {
    const text = readFileSync(file, 'utf8');
    const rewritten = text.replace(pattern, (_, before, prefix) => `${before}${treeDir}${prefix}`);
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
}

function mirrorOf(options, repo) {
  const mirror = join(options.mirrors, repo.replace('/', '+'), 'repo');
  if (!existsSync(mirror)) throw new Error(`no mirror of ${repo} at ${mirror}`);
  return mirror;
}

/** A base taken from another project's mirror: every file under `from` at `commit`, placed under `to`. */
function copyFromMirror(options, base, treeDir) {
  const mirror = mirrorOf(options, base.repo);
  const names = execFileSync('git', ['-C', mirror, 'ls-tree', '-r', '--name-only', base.commit, `${base.from}/`], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  for (const name of names.filter((n) => new RegExp(base.only ?? '.').test(n))) {
    const target = join(treeDir, base.to, name.slice(base.from.length + 1));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, gitShow(mirror, base.commit, name));
  }
}

/**
 * The part of a unified diff (one `diff ...` section of a distribution's patch) that changes `from`: the
 * section whose `+++` path is `from` or ends with `/from`, whatever leading folders the packager's tree had.
 */
function patchSection(diff, from) {
  const sections = diff.split(/^(?=diff )/m);
  return sections.find((section) => {
    const target = /^\+\+\+ (\S+)/m.exec(section)?.[1];
    return target !== undefined && (target === from || target.endsWith(`/${from}`));
  });
}

/** `text` with the project's patch applied to it as GNU patch applies it; unchanged when the patch has no hunk for it. */
function applyPatch(text, diff, from, tree) {
  const section = patchSection(diff, from);
  if (!section || !/^@@ /m.test(section)) return text;
  const dir = mkdtempSync(join(tmpdir(), 'corpus-patch-'));
  try {
    writeFileSync(join(dir, 'original'), text);
    writeFileSync(join(dir, 'section.diff'), section);
    const result = spawnSync(
      'patch',
      ['--batch', '--silent', '-o', join(dir, 'patched'), join(dir, 'original'), join(dir, 'section.diff')],
      { encoding: 'utf8' },
    );
    if (result.error || result.status !== 0)
      throw new Error(
        `tree ${tree.id}: the patch does not apply to ${from}: ${result.error?.message ?? result.stdout}`,
      );
    return readFileSync(join(dir, 'patched'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The content of the `<file name="...">` element of a project's XML list of configuration files (Froxlor's
 * lib/configfiles/*.xml), trimmed and ended with a newline, as the project's config service writes it.
 */
function xmlFileContent(xml, name, tree) {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`<file\\s+name="${escaped}"[^>]*>\\s*<content><!\\[CDATA\\[([\\s\\S]*?)\\]\\]>`).exec(xml);
  if (!match) throw new Error(`tree ${tree.id}: no <file name="${name}"> in the project's XML`);
  return `${match[1].trim()}\n`;
}

/**
 * The `index`th (from 1) fenced code block of a Markdown page (a project's documentation an admin copies a
 * configuration file from), without the indentation of its fence (a block in a list item), ended with a newline.
 */
function markdownBlock(markdown, index, tree) {
  const blocks = [...markdown.matchAll(/^([ \t]*)(```|~~~)[^\n]*\n([\s\S]*?)^\1\2[ \t]*$/gm)];
  const block = blocks[index - 1];
  if (!block) throw new Error(`tree ${tree.id}: the page has no code block ${index}`);
  const indent = block[1];
  const lines = block[3].replace(/\n$/, '').split('\n');
  return `${lines.map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart())).join('\n')}\n`;
}

/**
 * The text a shell script writes with `echo WORD > target` (emailwiz's `echo "..." > /etc/dovecot/dovecot.conf`):
 * WORD read as the shell reads it, with echo's newline. Double-quoted parts expand `$name` and `${name}` from
 * `vars` (a variable missing from them stops the fetch) and drop the backslash of `\$`, `\"`, `\\` and `` \` ``;
 * single-quoted parts are literal.
 */
function shellEchoContent(script, spec, tree) {
  const redirect = script.indexOf(`> ${spec.target}`);
  const start = redirect < 0 ? -1 : script.lastIndexOf('echo ', redirect);
  if (start < 0) throw new Error(`tree ${tree.id}: no echo ... > ${spec.target} in the script`);
  const variable = (name) => {
    if (!(name in spec.vars))
      throw new Error(`tree ${tree.id}: the echo to ${spec.target} reads $${name}, which the manifest does not fix`);
    return spec.vars[name];
  };
  let out = '';
  let quote = '';
  let i = start + 'echo '.length;
  for (; i < script.length; i++) {
    const c = script[i];
    if (quote === "'") {
      if (c === "'") quote = '';
      else out += c;
    } else if (c === '\\') {
      const next = script[++i];
      out += quote === '"' && !'$"\\`\n'.includes(next) ? `\\${next}` : next === '\n' ? '' : next;
    } else if (c === '$') {
      const name = /^\{(\w+)\}|^(\w+)/.exec(script.slice(i + 1));
      if (!name) out += c;
      else {
        out += variable(name[1] ?? name[2]);
        i += name[0].length;
      }
    } else if (c === '"' || (c === "'" && quote === '')) quote = quote === c ? '' : c;
    else if (quote === '' && /\s/.test(c)) break;
    else out += c;
  }
  if (!script.slice(i).trimStart().startsWith(`> ${spec.target}`))
    throw new Error(`tree ${tree.id}: the echo before > ${spec.target} is not one word`);
  return `${out}\n`;
}

/** A file's text as the project installs it: from the tree's repository, or from the upstream source it names, patched. */
function fileText(file, tree, mirror, options) {
  const source = file.repo
    ? gitShow(mirrorOf(options, file.repo), file.commit, file.from)
    : gitShow(mirror, tree.commit, file.from);
  const text = file.xmlFile
    ? xmlFileContent(source, file.xmlFile, tree)
    : file.markdownBlock
      ? markdownBlock(source, file.markdownBlock, tree)
      : file.shellEcho
        ? shellEchoContent(source, file.shellEcho, tree)
        : source;
  return file.patch ? applyPatch(text, gitShow(mirror, tree.commit, file.patch), file.from, tree) : text;
}

/** The project's own edits of files already installed (its sed -i), as literal pairs. */
function applyEdits(treeDir, tree) {
  for (const edit of tree.edits ?? []) {
    const target = join(treeDir, edit.path);
    let text = readFileSync(target, 'utf8');
    for (const [from, to] of edit.pairs) {
      if (!text.includes(from))
        throw new Error(`tree ${tree.id}: the edit of ${edit.path} finds no ${JSON.stringify(from)}`);
      text = text.split(from).join(to);
    }
    writeFileSync(target, text);
  }
}

function buildTree(tree, options) {
  const mirror = mirrorOf(options, tree.repo);
  const treeDir = join(options.out, tree.id);
  rmSync(treeDir, { recursive: true, force: true });
  mkdirSync(treeDir, { recursive: true });
  if (tree.base?.repo) copyFromMirror(options, tree.base, treeDir);
  else if (tree.base) cpSync(join(REPO, tree.base.from), join(treeDir, tree.base.to), { recursive: true });
  for (const file of tree.files) {
    const target = join(treeDir, file.to);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, render(fileText(file, tree, mirror, options), file.render ?? tree.render, tree, mirror));
  }
  applyEdits(treeDir, tree);
  for (const removed of tree.remove ?? []) rmSync(join(treeDir, removed), { force: true });
  for (const placeholder of tree.placeholders ?? []) {
    const target = join(treeDir, placeholder.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, placeholder.text);
  }
  rewriteRootPaths(treeDir, tree.rootPaths);
  if (!existsSync(join(treeDir, tree.root))) throw new Error(`tree ${tree.id}: root ${tree.root} was not written`);
}

function manifestDigest() {
  return createHash('sha256').update(readFileSync(MANIFEST)).digest('hex');
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  const trees = manifest.trees.filter((tree) => options.only.length === 0 || options.only.includes(tree.id));
  mkdirSync(options.out, { recursive: true });
  let failed = 0;
  for (const tree of trees) {
    try {
      buildTree(tree, options);
      console.log(`ok   ${tree.id} (${tree.files.length} files from ${tree.repo}@${tree.commit.slice(0, 10)})`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${tree.id}: ${error.message}`);
    }
  }
  if (options.only.length === 0 && failed === 0)
    writeFileSync(join(options.out, '.manifest-sha256'), `${manifestDigest()}\n`);
  console.log(`corpus written to ${options.out}: ${trees.length - failed} trees, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
