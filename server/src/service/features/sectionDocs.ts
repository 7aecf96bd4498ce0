// Filter blocks are not settings, so the schema has no entry for them: their descriptions live here.
import type { FilterKind } from '../syntax/nodes';

export const FILTER_DESCRIPTIONS: Readonly<Record<FilterKind, string>> = {
  protocol:
    'Filter block: the settings inside apply only to the named protocol (`imap`, `pop3`, `lmtp`, `lda`, `doveadm`, `sieve`, `submission`, ...). `protocol !imap` means every protocol except imap. Settings written here are read when the block is parsed, so a later global change does not reach them. Auth settings are allowed; `service` blocks have no effect here.',
  local:
    'Filter block: the settings inside apply to connections made to this local IP address or network (`ADDR`, `ADDR/bits`, or a host name resolved at startup). Auth settings (`auth_*`, `passdb`, `userdb`) are rejected here.',
  local_name:
    'Filter block: the settings inside apply to TLS connections whose SNI server name matches, typically to serve per-domain `ssl_cert`/`ssl_key`. Nest it inside `local` if both are used.',
  remote:
    'Filter block: the settings inside apply to connections coming from this client IP address or network. Auth settings (`auth_*`, `passdb`, `userdb`) are rejected here.',
};

/** The name placeholder inserted after a section type; absent for sections written without a name. */
export const SECTION_NAME_PLACEHOLDERS: Readonly<Record<string, string>> = {
  service: 'name',
  namespace: 'inbox',
  mailbox: 'name',
  unix_listener: 'path',
  fifo_listener: 'path',
  inet_listener: 'name',
  metric: 'name',
  event_exporter: 'name',
  protocol: 'imap',
  local: '127.0.0.1',
  local_name: 'mail.example.com',
  remote: '192.0.2.0/24',
};
