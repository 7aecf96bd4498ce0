// What the mail plugin rules report on a tree read as one Dovecot version, shared by their tests.
import { getLanguageService } from '../../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../../server/src/service/model/host';
import { ROOT } from './analyze';
import { HEAD_24, type Version } from './mailProcesses';

/** The service over `files` and its analysis of ROOT read as `version`. */
export function analyseAs(files: Record<string, string>, version: Version) {
  const host = new MemoryHost(files);
  const service = getLanguageService(host);
  return { host, service, analysis: service.analyze(ROOT, { dovecotVersion: version }) };
}

/** The root file's text for a case: a 2.4 case gets the two lines every 2.4 configuration starts with. */
export const treeOf = (text: string, version: Version): string => (version === '2.4' ? HEAD_24 + text : text);

export interface Reported {
  /** Where: `line:character` of the diagnostic (in a 2.4 case, counted from the case's own first line). */
  at: string;
  protocols: string[];
  message: string;
}

/** The diagnostics of rule `code` on a case (its text, or whole files). */
export function reportedBy(code: string, text: string | Record<string, string>, version: Version): Reported[] {
  const files = typeof text === 'string' ? { [ROOT]: treeOf(text, version) } : text;
  const offset = typeof text === 'string' && version === '2.4' ? 2 : 0;
  return analyseAs(files, version)
    .analysis.diagnostics.filter((d) => d.code === code)
    .map((d) => ({
      at: `${d.range.start.line - offset}:${d.range.start.character}`,
      protocols: (d.data as { protocols: string[] }).protocols,
      message: d.message,
    }));
}

/** The protocols whose processes rule `code` says stop, over all its diagnostics on a case. */
export const stoppingBy = (code: string, text: string, version: Version): string[] =>
  [...new Set(reportedBy(code, text, version).flatMap((r) => r.protocols))].sort();
