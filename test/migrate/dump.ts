// `doveconf` output (2.3 or 2.4, with or without -n) as a tree of sections and settings, and lookups
// that understand 2.4's grouped display (`ssl_server { cert_file }` is ssl_server_cert_file).

export interface DumpSection {
  header: string;
  settings: Map<string, string>;
  sections: DumpSection[];
}

export function parseDump(text: string): DumpSection {
  const root: DumpSection = { header: '', settings: new Map(), sections: [] };
  const stack = [root];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('doveconf:')) continue;
    const top = stack[stack.length - 1];
    if (line === '}') {
      if (stack.length > 1) stack.pop();
    } else if (line.endsWith('{')) {
      const section: DumpSection = {
        header: line.slice(0, -1).trim().replace(/"/g, ''),
        settings: new Map(),
        sections: [],
      };
      top.sections.push(section);
      stack.push(section);
    } else {
      const eq = line.indexOf('=');
      if (eq > 0) top.settings.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
    }
  }
  return root;
}

export function child(section: DumpSection | undefined, header: string): DumpSection | undefined {
  return section?.sections.find((s) => s.header === header);
}

export function children(section: DumpSection | undefined, type: string): DumpSection[] {
  return section?.sections.filter((s) => s.header === type || s.header.startsWith(`${type} `)) ?? [];
}

/**
 * A setting of the section. 2.4 shows settings written in a filter named by their prefix inside it
 * (`ssl_server { cert_file }`), and `-a` also lists the global default (`ssl_server_cert_file =`): the
 * filter's value is the one in effect for that use, so it wins.
 */
export function lookup(section: DumpSection | undefined, key: string): string | undefined {
  if (!section) return undefined;
  for (const group of section.sections) {
    if (group.header.includes(' ') || !key.startsWith(`${group.header}_`)) continue;
    const found = lookup(group, key.slice(group.header.length + 1));
    if (found !== undefined) return found;
  }
  return section.settings.get(key);
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * Values as both versions print them: quotes, spaces and case aside, `<` of file values dropped,
 * `$SET:name` (2.4) as `$name` (2.3), octal modes without leading zeros, sizes in bytes.
 */
export function normalizeValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const plain = value
    .replace(/^"|"$/g, '')
    .replace(/^</, '')
    .replace(/\s+/g, '')
    .toLowerCase()
    .replace(/\$set:/g, '$');
  if (/^0[0-7]*$/.test(plain)) return String(parseInt(plain, 8));
  const size = /^(\d+)([bkmgt])b?$/.exec(plain);
  if (size) return String(Number(size[1]) * SIZE_UNITS[size[2]]);
  return plain
    .replace(/(\d)(secs?|seconds?)$/, '$1s')
    .replace(/(\d)(mins?|minutes?)$/, '$1m')
    .replace(/(\d)(hours?)$/, '$1h')
    .replace(/(\d)(days?)$/, '$1d')
    .replace(/(\d)([kmgt])b?$/, '$1$2');
}
