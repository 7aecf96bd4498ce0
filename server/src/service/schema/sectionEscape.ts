/** settings_section_escape() (2.3.19 and 2.4.4): how a block's name is written into a setting. */
const ESCAPES: Readonly<Record<string, string>> = { '=': '\\e', '/': '\\s', '\\': '\\\\', ' ': '\\_', ',': '\\+' };

/** The name with Dovecot's escapes; 2.4 writes an empty name as `\.` (sectionEscape24). */
export function sectionEscape(name: string): string {
  return name.replace(/[=/\\ ,]/g, (char) => ESCAPES[char]);
}
