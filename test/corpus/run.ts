// `npm run corpus`: dovecot-lint on every tree of the real-world corpus (recreated by
// scripts/corpus-fetch.mjs), compared with doveconf's recorded verdicts (test/corpus/verdicts.json).
// Prints, per tree, where our doveconf-class verdict differs from doveconf's, every error or warning we
// raise on a tree doveconf accepts or on a project file the tree does not include (opened alone, as the
// editor does), each of which must be explained in test/corpus/FINDINGS.md, crashes, internal errors
// and faults of the editor features, and, for each 2.4 tree doveconf accepts, every line where our effective
// configuration differs from what doveconf -n of its version prints (run live); ends with one summary line.
// Skips loudly when the corpus is absent, and the 2.4 trees' comparison when doveconf 2.4 is.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LintDiagnostic } from '../../server/src/service/analysis/analyzer';
import { getLanguageService, type LanguageService, type TreeAnalysis } from '../../server/src/service/dovecotLanguageService';
import { DiskHost } from '../../server/src/service/model/diskHost';
import { CORPUS_DATA, corpusDir, fileKey, manifestDigest, readManifest, readVerdicts, runDoveconfOnTree, treeRoot, type CorpusTree, type TreeVerdict } from './corpus';
import { disagreements, isDoveconfRule } from '../oracle/compare';
import { doveconfListing, listingDifferences, ourListing, withoutMachineLines } from '../oracle24/listing';
import { DOVECONF_24 } from '../oracle24/verdict';
import { exerciseFeatures } from './features';

const HAVE_DOVECONF_24 = existsSync(DOVECONF_24);

const FINDINGS = path.join(CORPUS_DATA, 'FINDINGS.md');

interface ListedFinding {
  status: string;
}

/** Rows `| tree | file:line | rule | status | fact |` of FINDINGS.md, keyed by tree, place and rule. */
function readListedFindings(): Map<string, ListedFinding> {
  const listed = new Map<string, ListedFinding>();
  if (!existsSync(FINDINGS)) return listed;
  for (const line of readFileSync(FINDINGS, 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim().replace(/^`|`$/g, ''));
    if (cells.length < 6 || !/^[\w.-]+$/.test(cells[1]) || !(/:\d+$/.test(cells[2]) || cells[2] === 'verdict')) continue;
    listed.set(`${cells[1]} ${cells[2]} ${cells[3]}`, { status: cells[4] });
  }
  return listed;
}

function place(treeDir: string, diagnostic: LintDiagnostic): string {
  return `${path.relative(treeDir, diagnostic.file)}:${diagnostic.range.start.line + 1}`;
}

/**
 * doveconf's warnings with a line against our doveconf-class warnings, matched by file and line; our
 * message must carry doveconf's text (for `Obsolete setting in FILE:LINE: TEXT`, the TEXT).
 */
function warningDisagreements(analysis: TreeAnalysis, verdict: TreeVerdict, treeDir: string): string[] {
  const ours = analysis.diagnostics.filter((d) => d.level === 'warning' && isDoveconfRule(d.code, analysis.versionDialect.version));
  const problems: string[] = [];
  // doveconf 2.4 prints some warnings without a place (a Sieve extension list): ours, on the line, says the same.
  const sameWithoutPlace = (d: LintDiagnostic, theirs: TreeVerdict['warnings'][number]): boolean =>
    theirs.line === undefined && d.message === theirs.message;
  for (const theirs of verdict.warnings) {
    const text = /^Obsolete setting in [^:]+:\d+: (.*)$/.exec(theirs.message)?.[1] ?? theirs.message;
    const same = ours.find(
      (d) =>
        sameWithoutPlace(d, theirs) ||
        (path.relative(treeDir, d.file) === theirs.file && d.range.start.line + 1 === theirs.line),
    );
    if (!same) problems.push(`doveconf warns at ${theirs.file}:${theirs.line} "${theirs.message}", we do not`);
    else if (!same.message.includes(text)) problems.push(`doveconf warns at ${theirs.file}:${theirs.line} "${theirs.message}", we say "${same.message}"`);
  }
  for (const warning of ours) {
    if (!verdict.warnings.some((w) => sameWithoutPlace(warning, w) || (w.file === path.relative(treeDir, warning.file) && w.line === warning.range.start.line + 1))) {
      problems.push(`we warn where doveconf does not: ${place(treeDir, warning)}: ${warning.message} [${warning.code}]`);
    }
  }
  return problems;
}

/** The analysis as the admin runs it: with the version they give dovecot-lint, when the tree names one. */
function analyzeOptions(tree: CorpusTree): { dovecotVersion?: '2.3' | '2.4' } {
  return tree.versionSetting ? { dovecotVersion: tree.versionSetting } : {};
}

/**
 * A project file the tree does not include (a driver's args file, a spare copy) as the editor shows it
 * when opened: analysed from the root findRoot gives it; its errors and warnings are findings too.
 */
function openedAlone(service: LanguageService, file: string, tree: CorpusTree): LintDiagnostic[] {
  const analysis = service.analyze(service.findRoot(file), analyzeOptions(tree));
  return analysis.diagnostics.filter((d) => d.file === file && (d.level === 'error' || d.level === 'warning'));
}

/**
 * For a tree doveconf accepts, where our effective configuration differs from the lines doveconf -n of the
 * tree's version prints for it now; undefined for other trees, and for 2.4 trees when doveconf 2.4 is not installed.
 */
function listingProblems(service: LanguageService, analysis: TreeAnalysis, tree: CorpusTree, verdict: TreeVerdict): string[] | undefined {
  if (!verdict.accepted || (tree.dovecot === '2.4' && !HAVE_DOVECONF_24)) return undefined;
  const { output, rc } = runDoveconfOnTree(tree);
  if (rc !== 0) return [`doveconf ${tree.dovecot === '2.4' ? '2.4' : '2.3'} -n exits ${rc} now: ${output.trim().split('\n').at(-1) ?? ''}`];
  const ours = ourListing(service, analysis);
  return listingDifferences(ours, withoutMachineLines(doveconfListing(output), ours));
}

interface TreeResult {
  agrees: boolean;
  /** Where our effective configuration differs from doveconf -n's; undefined when not compared. */
  listing?: string[];
  verdictProblems: string[];
  problems: string[];
  findings: { key: string; text: string; status?: string }[];
  crashed: boolean;
  internalErrors: number;
  filesRead: number;
}

function checkTree(tree: CorpusTree, verdict: TreeVerdict, listed: Map<string, ListedFinding>): TreeResult {
  const treeDir = path.join(corpusDir(), tree.id);
  const service = getLanguageService(new DiskHost());
  let analysis: TreeAnalysis;
  try {
    analysis = service.analyze(treeRoot(tree), analyzeOptions(tree));
  } catch (error) {
    return { agrees: false, verdictProblems: [], problems: [`CRASH: ${(error as Error).stack ?? String(error)}`], findings: [], crashed: true, internalErrors: 0, filesRead: 0 };
  }
  const doveconfVerdict = { rc: verdict.rc, accepted: verdict.accepted, fatal: verdict.fatal, warnings: [] };
  // The recorded verdicts print the tree folder's paths as the host's (a `<file` value in a message): ours too.
  const asOnHost = { ...analysis, diagnostics: analysis.diagnostics.map((d) => ({ ...d, message: d.message.split(treeDir).join('') })) };
  const verdictProblems = [
    ...disagreements(asOnHost, doveconfVerdict, treeDir).filter((problem) => !problem.startsWith('unlisted ') && !problem.startsWith('we warn where')),
    ...warningDisagreements(asOnHost, verdict, treeDir),
  ];
  const internal = analysis.diagnostics.filter((diagnostic) => diagnostic.code === 'internal-error');
  const featureProblems = exerciseFeatures(service, analysis, treeDir);
  const alarms = verdict.accepted ? analysis.diagnostics.filter((d) => d.level === 'error' || d.level === 'warning') : [];
  const doveconfWarnsHere = (d: LintDiagnostic): boolean =>
    d.level === 'warning' &&
    isDoveconfRule(d.code, analysis.versionDialect.version) &&
    verdict.warnings.some((w) => (w.line === undefined ? w.message === d.message : w.file === path.relative(treeDir, d.file) && w.line === d.range.start.line + 1));
  const findings = alarms.map((diagnostic) => {
    const key = `${tree.id} ${place(treeDir, diagnostic)} ${diagnostic.code}`;
    const status = doveconfWarnsHere(diagnostic) ? 'doveconf warns too' : listed.get(key)?.status;
    return { key, text: `${place(treeDir, diagnostic)}: ${diagnostic.level}: ${diagnostic.message} [${diagnostic.code}]`, status };
  });
  const projectFiles = new Set(tree.files.filter((file) => !file.data).map((file) => path.join(treeDir, file.to)));
  const unread = [...projectFiles].filter((file) => !analysis.files.includes(file));
  for (const alarm of unread.flatMap((file) => openedAlone(service, file, tree))) {
    const key = `${tree.id} ${place(treeDir, alarm)} ${alarm.code}`;
    findings.push({ key, text: `opened alone: ${place(treeDir, alarm)}: ${alarm.level}: ${alarm.message} [${alarm.code}]`, status: listed.get(key)?.status });
  }
  let listing: string[] | undefined;
  try {
    listing = listingProblems(service, analysis, tree, verdict);
  } catch (error) {
    listing = [`CRASH listing the effective configuration: ${(error as Error).stack ?? String(error)}`];
  }
  return {
    agrees: verdictProblems.length === 0,
    listing,
    verdictProblems,
    problems: [...internal.map((d) => `internal error: ${place(treeDir, d)}: ${d.message}`), ...featureProblems],
    findings,
    crashed: featureProblems.length > 0,
    internalErrors: internal.length,
    filesRead: analysis.files.filter((file) => projectFiles.has(file)).length,
  };
}

function main(): number {
  const manifest = readManifest();
  const dir = corpusDir();
  if (!existsSync(dir) || manifest.trees.every((tree) => !existsSync(treeRoot(tree)))) {
    console.log(`SKIPPED: corpus not present (run scripts/corpus-fetch.mjs with the mirrors); looked in ${dir}`);
    return 0;
  }
  const stale: string[] = [];
  const stamp = path.join(dir, '.manifest-sha256');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== manifestDigest()) stale.push(`the trees in ${dir} were not made from the current manifest: run node scripts/corpus-fetch.mjs`);
  const verdicts = readVerdicts();
  const recordedFor = (JSON.parse(readFileSync(path.join(CORPUS_DATA, 'verdicts.json'), 'utf8')) as { manifestSha256?: string }).manifestSha256;
  if (recordedFor !== manifestDigest()) stale.push('test/corpus/verdicts.json was not recorded from the current manifest: run node --import tsx test/corpus/label.ts');
  for (const problem of stale) console.log(`STALE: ${problem}`);

  if (!HAVE_DOVECONF_24)
    console.log(`SKIPPED: no Dovecot 2.4 doveconf at ${DOVECONF_24} (scripts/build-dovecot24.sh builds it): the effective configuration of the 2.4 trees is not compared with doveconf 2.4 -n`);
  const listed = readListedFindings();
  let agreeing = 0;
  const listings = { '2.3': { compared: 0, same: 0 }, '2.4': { compared: 0, same: 0 } };
  let expectedDisagreements = 0;
  let crashes = 0;
  let internalErrors = 0;
  let filesRead = 0;
  const counts = { findings: 0, trueFindings: 0, expected: 0, unexplained: 0 };
  const usedListings = new Set<string>();
  for (const tree of manifest.trees) {
    const verdict = verdicts.get(tree.id);
    if (!existsSync(treeRoot(tree)) || !verdict) {
      console.log(`FAIL ${tree.id}: ${verdict ? 'tree missing from the corpus folder' : 'no recorded doveconf verdict'}`);
      continue;
    }
    const result = checkTree(tree, verdict, listed);
    const verdictKey = `${tree.id} verdict -`;
    const expectedDisagreement = !result.agrees && listed.get(verdictKey)?.status.startsWith('expected fixed by');
    if (result.agrees) agreeing++;
    if (expectedDisagreement) {
      expectedDisagreements++;
      usedListings.add(verdictKey);
    }
    if (result.crashed) crashes++;
    internalErrors += result.internalErrors;
    filesRead += result.filesRead;
    const unexplained = result.findings.filter((finding) => finding.status === undefined);
    counts.findings += result.findings.length;
    counts.unexplained += unexplained.length;
    counts.trueFindings += result.findings.filter((finding) => finding.status === 'true' || finding.status === 'doveconf warns too').length;
    counts.expected += result.findings.filter((finding) => finding.status?.startsWith('expected fixed by')).length;
    result.findings.filter((finding) => listed.has(finding.key)).forEach((finding) => usedListings.add(finding.key));
    if (result.listing) {
      const figures = listings[tree.dovecot === '2.4' ? '2.4' : '2.3'];
      figures.compared++;
      if (result.listing.length === 0) figures.same++;
    }
    const listingDiffers = (result.listing?.length ?? 0) > 0;
    const ok = (result.agrees || expectedDisagreement) && !result.crashed && result.internalErrors === 0 && unexplained.length === 0 && !listingDiffers;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${tree.id}: doveconf ${verdict.accepted ? 'accepts' : `rejects (${verdict.fatal?.message ?? `rc=${verdict.rc}`})`}${result.findings.length ? `, ${result.findings.length} findings` : ''}`);
    const verdictLabel = expectedDisagreement ? `${listed.get(verdictKey)?.status}: verdict` : 'verdict';
    for (const problem of result.verdictProblems) console.log(`     ${verdictLabel}: ${problem}`);
    for (const problem of result.problems) console.log(`     ${problem}`);
    for (const difference of result.listing ?? []) console.log(`     effective configuration: ${difference}`);
    for (const finding of result.findings) console.log(`     ${finding.status === undefined ? 'UNEXPLAINED' : finding.status === 'true' ? 'true finding' : finding.status}: ${finding.text}`);
  }
  // A row expected to be fixed elsewhere that no longer fires is good news (the row is to be removed);
  // a true finding that no longer fires is a regression of the check that found it.
  const notSeen = [...listed.keys()].filter((key) => !usedListings.has(key));
  const fixed = notSeen.filter((key) => listed.get(key)?.status.startsWith('expected fixed by'));
  const obsolete = notSeen.filter((key) => !fixed.includes(key));
  for (const key of fixed) console.log(`FIXED: ${key} no longer fires; remove its row from test/corpus/FINDINGS.md`);
  for (const key of obsolete) console.log(`NOT SEEN: FINDINGS.md lists ${key} as a true finding, which no longer fires`);

  const trees = manifest.trees.length;
  const files = new Set(manifest.trees.flatMap((tree) => tree.files.filter((file) => !file.data).map((file) => fileKey(tree, file)))).size;
  const projects = new Set(manifest.trees.map((tree) => tree.project)).size;
  const accepted = [...verdicts.values()].filter((verdict) => verdict.accepted).length;
  const failed = trees - agreeing - expectedDisagreements > 0 || counts.unexplained > 0 || crashes > 0 || internalErrors > 0 || stale.length > 0 || obsolete.length > 0 || Object.values(listings).some((figures) => figures.same < figures.compared);
  console.log(
    `corpus: ${trees} trees from ${projects} projects (${files} distinct files; ${filesRead} file reads through the include trees); ` +
      `verdict agreement with doveconf ${agreeing}/${trees}${expectedDisagreements ? ` (${expectedDisagreements} disagreeing tree${expectedDisagreements === 1 ? '' : 's'} listed in FINDINGS.md)` : ''} (doveconf accepts ${accepted}, rejects ${trees - accepted}); ` +
      `errors/warnings on accepted trees and on files doveconf never reads ${counts.findings} (${counts.trueFindings} true findings, ${counts.expected} expected fixed by issue 9 classes 1-7, ${counts.unexplained} unexplained); ` +
      `trees with a crash or a feature fault ${crashes}; internal errors ${internalErrors}; ` +
      `effective configuration line for line as doveconf 2.3 -n ${listings['2.3'].same}/${listings['2.3'].compared} accepted 2.3 trees, ` +
      (HAVE_DOVECONF_24 ? `as doveconf 2.4 -n ${listings['2.4'].same}/${listings['2.4'].compared} accepted 2.4 trees` : 'the 2.4 trees not compared (no doveconf 2.4)'),
  );
  return failed ? 1 : 0;
}

process.exit(main());
