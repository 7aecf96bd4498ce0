// Are the settings in effect the same? The 2.3 `doveconf -n` against the 2.4 `doveconf` (all settings)
// of the converted tree, through the known renames: mail location, authentication, SSL, services and
// listeners, protocols.
import { splitMailLocation } from '../../server/src/service/migrate/mailLocationRule';
import { convertVariables } from '../../server/src/service/migrate/variables';
import { REMOVED_SERVICES } from '../../server/src/service/migrate/facts';
import { AUTH_DRIVERS } from '../../server/src/service/migrate/facts';
import { child, children, lookup, normalizeValue, parseDump, type DumpSection } from './dump';

export interface Comparison {
  aspect: 'mail' | 'auth' | 'ssl' | 'services' | 'protocols';
  what: string;
  v23: string;
  v24: string;
  same: boolean;
}

const REMOVED = new Set(REMOVED_SERVICES.map((service) => service.name));
const LISTENER_RENAMES: Readonly<Record<string, string>> = { address: 'listen' };
const SERVICE_RENAMES: Readonly<Record<string, string>> = {
  service_count: 'restart_request_count',
  idle_kill: 'idle_kill_interval',
};
const SERVICE_VALUES: Readonly<Record<string, (value: string) => string>> = {
  service_count: (value) => (value === '0' ? 'unlimited' : value),
};

function compare(
  out: Comparison[],
  aspect: Comparison['aspect'],
  what: string,
  v23: string | undefined,
  v24: string | undefined,
): void {
  out.push({
    aspect,
    what,
    v23: v23 ?? '(unset)',
    v24: v24 ?? '(unset)',
    same: normalizeValue(v23 ?? '') === normalizeValue(v24 ?? ''),
  });
}

function mail(out: Comparison[], d23: DumpSection, d24: DumpSection): void {
  const location = d23.settings.get('mail_location');
  if (location === undefined || location === '') return;
  for (const [key, value] of splitMailLocation(location.replace(/^"|"$/g, '')).settings) {
    compare(out, 'mail', key, convertVariables(value).value, lookup(d24, key));
  }
}

function authDrivers(dump: DumpSection, type: 'passdb' | 'userdb', removedToo: boolean): string {
  const removed = new Set(AUTH_DRIVERS.filter((row) => row.convert === 'removed').map((row) => row.driver));
  return children(dump, type)
    .map((section) => section.settings.get('driver') ?? section.header.split(' ')[1] ?? '')
    .filter((driver) => removedToo || !removed.has(driver))
    .join(', ');
}

function auth(out: Comparison[], d23: DumpSection, d24: DumpSection): void {
  for (const type of ['passdb', 'userdb'] as const) {
    const drivers23 = authDrivers(d23, type, false);
    if (drivers23 === '' && authDrivers(d23, type, true) === '') continue;
    compare(out, 'auth', `${type} drivers in order`, drivers23, authDrivers(d24, type, true));
  }
  const mechanisms = d23.settings.get('auth_mechanisms');
  if (mechanisms !== undefined) compare(out, 'auth', 'auth_mechanisms', mechanisms, lookup(d24, 'auth_mechanisms'));
}

function ssl(out: Comparison[], d23: DumpSection, d24: DumpSection): void {
  compare(out, 'ssl', 'ssl', d23.settings.get('ssl') ?? 'yes', lookup(d24, 'ssl'));
  const pairs: [string, string][] = [
    ['ssl_cert', 'ssl_server_cert_file'],
    ['ssl_dh', 'ssl_server_dh_file'],
    ['ssl_min_protocol', 'ssl_min_protocol'],
    ['ssl_cipher_list', 'ssl_cipher_list'],
  ];
  for (const [old, renamed] of pairs) {
    const value = d23.settings.get(old);
    if (value === undefined || value.startsWith('#')) continue;
    compare(out, 'ssl', `${old} → ${renamed}`, value, lookup(d24, renamed));
  }
}

function services(out: Comparison[], d23: DumpSection, d24: DumpSection): void {
  for (const service of children(d23, 'service')) {
    const name = service.header.split(' ')[1] ?? '';
    if (REMOVED.has(name)) continue;
    const service24 = child(d24, service.header);
    for (const [key, value] of service.settings) {
      const key24 = SERVICE_RENAMES[key] ?? key;
      compare(
        out,
        'services',
        `service ${name} ${key}`,
        (SERVICE_VALUES[key] ?? ((v: string) => v))(value),
        lookup(service24, key24) ?? lookup(service24, `service_${key24}`),
      );
    }
    for (const listener of service.sections) {
      const listener24 = child(service24, listener.header) ?? unnamedListener(service24, listener.header, name);
      for (const [key, value] of listener.settings) {
        const key24 = LISTENER_RENAMES[key] ?? key;
        compare(out, 'services', `service ${name} ${listener.header} ${key}`, value, lookup(listener24, key24));
      }
    }
  }
}

/** A 2.3 listener without a name: the converter names it after the service, or after the one built-in listener of its kind. */
function unnamedListener(
  service24: DumpSection | undefined,
  header: string,
  serviceName: string,
): DumpSection | undefined {
  if (header.includes(' ')) return undefined;
  const candidates = children(service24, header);
  return child(service24, `${header} ${serviceName}`) ?? (candidates.length === 1 ? candidates[0] : undefined);
}

function protocols(out: Comparison[], d23: DumpSection, d24: DumpSection): void {
  const words = (value: string | undefined): string =>
    (value ?? '')
      .replace(/"/g, '')
      .split(/\s+/)
      .filter((w, i, all) => w !== '' && all.indexOf(w) === i)
      .sort()
      .join(' ');
  const list24 = child(d24, 'protocols');
  const v24 = list24
    ? [...list24.settings]
        .filter(([, v]) => v === 'yes')
        .map(([k]) => k)
        .sort()
        .join(' ')
    : words(lookup(d24, 'protocols'));
  compare(out, 'protocols', 'protocols', words(d23.settings.get('protocols')), v24);
}

/** `dump23` is 2.3's `doveconf -n`, `dump23all` its `doveconf -a` (for the protocols in effect), `dump24all` 2.4's `doveconf -a`. */
export function compareEffective(dump23: string, dump23all: string, dump24all: string): Comparison[] {
  const d23 = parseDump(dump23);
  const d23all = parseDump(dump23all);
  const d24 = parseDump(dump24all);
  const out: Comparison[] = [];
  mail(out, d23, d24);
  auth(out, d23, d24);
  ssl(out, d23, d24);
  services(out, d23, d24);
  protocols(out, d23all, d24);
  return out;
}
