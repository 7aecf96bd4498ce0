/** The text of one line (0-based) without its line end; '' past the end. Scans only up to that line. */
export function lineTextAt(text: string, line: number): string {
  let start = 0;
  for (let current = 0; current < line; current++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return (end < 0 ? text.slice(start) : text.slice(start, end)).replace(/\r$/, '');
}
