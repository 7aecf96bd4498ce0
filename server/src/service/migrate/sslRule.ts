// `ssl_cert = </path` and friends: 2.3 read the file's contents, 2.4 takes the path in *_file
// settings (renames-2.3-to-2.4.json, FACTS §4.3).
import type { MigrationContext } from './context';
import { rawValueOf } from './context';
import { RENAME_BY_OLD } from './facts';
import { converted, needsReview, notConverted } from './report';

export const SSL_FILE_RULE = 'ssl-file';

export const SSL_FILE_KEYS: readonly string[] = [
  'ssl_cert',
  'ssl_key',
  'ssl_ca',
  'ssl_dh',
  'ssl_alt_cert',
  'ssl_alt_key',
  'ssl_client_cert',
  'ssl_client_key',
];

export function applySslFiles(ctx: MigrationContext): void {
  for (const placed of ctx.liveSettings()) {
    const key = placed.node.key;
    if (!SSL_FILE_KEYS.includes(key)) continue;
    const target = RENAME_BY_OLD.get(key)?.new;
    if (!target) continue;
    const at = { file: placed.file, range: placed.node.range };
    if (placed.node.valueKind === 'file') {
      ctx.setKey(placed, target);
      ctx.setRawValue(placed, rawValueOf(placed.node.value));
      if (key === 'ssl_ca') {
        needsReview(
          ctx,
          at,
          SSL_FILE_RULE,
          `ssl_ca = <${placed.node.value} became ssl_server_ca_file = ${placed.node.value} (the CA that client certificates are checked against).`,
          "If this CA was meant for Dovecot's outgoing connections instead, write ssl_client_ca_file.",
        );
      } else {
        converted(
          ctx,
          at,
          SSL_FILE_RULE,
          `${key} = <${placed.node.value} became ${target} = ${placed.node.value}: 2.4 takes the file's path.`,
        );
      }
    } else if (placed.node.value === '') {
      ctx.setKey(placed, target);
      converted(ctx, at, SSL_FILE_RULE, `${key} (empty) became ${target}.`);
    } else {
      ctx.commentOut(
        placed.file,
        placed.node.range,
        `${key} holds the PEM text itself; 2.4 reads ${target} from a file`,
      );
      notConverted(
        ctx,
        at,
        SSL_FILE_RULE,
        `${key} is given inline (not as <file); Dovecot 2.4 only reads ${target} from a file: commented out.`,
        `Write the PEM data into a file readable by Dovecot and set ${target} = /path/to/that/file.`,
      );
    }
  }
}
