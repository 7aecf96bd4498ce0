// Whether Dovecot 2.4 reads a text as an SMTP path, as Pigeonhole's address sources parse one
// (smtp_address_parse_path() with only empty paths allowed, src/lib-smtp/smtp-address.c@2.4.4):
//   "<" [ "@" domain *( "," "@" domain ) ":" ] [ local-part "@" ( domain / address-literal ) ] ">"
// and nothing after it. A local part is a quoted string or a run of atext and dots; a domain is sub-domains of
// letters, digits, `-` and `_` joined by single dots. Bytes outside ASCII are no atext (Dovecot built without
// EXPERIMENTAL_MAIL_UTF8, as released). An address literal (`[...]`) is not judged.

/** The printable ASCII characters that are not atext (RFC 5321), besides the dot a dot-string allows. */
const NOT_ATEXT = new Set(['"', '(', ')', ',', ':', ';', '<', '>', '@', '[', '\\', ']', ' ']);

function isAtext(char: string): boolean {
  const code = char.charCodeAt(0);
  return code > 0x20 && code < 0x7f && !NOT_ATEXT.has(char);
}

/** qtextSMTP: printable ASCII and space, but `"` and `\`. */
function isQtext(char: string): boolean {
  const code = char.charCodeAt(0);
  return code >= 0x20 && code < 0x7f && char !== '"' && char !== '\\';
}

function isDomainChar(char: string | undefined): boolean {
  return char !== undefined && /^[A-Za-z0-9_-]$/.test(char);
}

/** Reads from `at`; gives where it stopped, or NaN when the text is refused there. */
type Step = (text: string, at: number) => number;

/** A domain (smtp_parser_parse_domain): sub-domains joined by single dots; `at` itself when none starts there. */
const domain: Step = (text, at) => {
  if (!isDomainChar(text[at])) return at;
  let i = at;
  for (;;) {
    if (!isDomainChar(text[i])) return NaN;
    while (isDomainChar(text[i])) i++;
    if (text[i] !== '.') return i;
    i++;
  }
};

/** `@domain,@domain:` before the mailbox; `at` itself when there is none. */
const sourceRoute: Step = (text, at) => {
  if (text[at] !== '@') return at;
  let i = at + 1;
  for (;;) {
    const end = domain(text, i);
    if (Number.isNaN(end) || end === i) return NaN;
    i = end;
    if (text[i] !== ',') break;
    if (text[i + 1] !== '@') return NaN;
    i += 2;
  }
  return text[i] === ':' ? i + 1 : NaN;
};

/** A quoted string or a dot-string; `at` itself when none starts there. */
const localPart: Step = (text, at) => {
  let i = at;
  if (text[i] === '"') {
    i++;
    for (;;) {
      while (i < text.length && isQtext(text[i])) i++;
      if (text[i] !== '\\') break;
      const paired = text[i + 1];
      if (paired === undefined || paired.charCodeAt(0) < 0x20 || paired.charCodeAt(0) >= 0x7f) return NaN;
      i += 2;
    }
    return text[i] === '"' ? i + 1 : NaN;
  }
  while (i < text.length && (isAtext(text[i]) || text[i] === '.')) i++;
  return i;
};

/**
 * Whether the text is refused as an SMTP path; undefined where it reaches an address literal, which is not
 * judged.
 */
export function smtpPathRefused(text: string): boolean | undefined {
  if (text[0] !== '<') return true;
  const mailbox = sourceRoute(text, 1);
  if (Number.isNaN(mailbox)) return true;
  const routed = mailbox > 1;
  const local = localPart(text, mailbox);
  if (Number.isNaN(local)) return true;
  if (local === mailbox) return !(text[mailbox] === '>' && !routed && mailbox + 1 === text.length);
  if (text[local] !== '@') return true;
  if (text[local + 1] === '[') return undefined;
  const end = domain(text, local + 1);
  if (Number.isNaN(end) || end === local + 1) return true;
  return !(text[end] === '>' && end + 1 === text.length);
}
