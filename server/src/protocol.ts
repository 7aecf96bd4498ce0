// The custom requests and notifications between the extension and the language server, declared once
// for both sides: a method name or a parameter shape cannot differ between client and server.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { MailPluginsPlan } from './service/features/replicationSetup';
import type { SetupDefaults } from './service/features/setupDefaults';
import type { LiveFailure } from './service/live/failures';
import type { ProposedHost } from './service/live/pairHosts';
import type { Dialect } from './service/model/dialect';
import type { MigrationResult, MigrationTarget } from './service/migrate/types';

export interface UriParams {
  uri: string;
}

/** `dovecot/status` (server → client): the version the server reads the tree of an open document as. */
export interface DovecotStatus {
  uri: string;
  dialect: Dialect;
  /** Why the server reads the tree as this version, e.g. `dovecot_config_version = 2.4.4 (dovecot.conf:1)`. */
  reason?: string;
  /** The root configuration file (a path). */
  root: string;
}
export const StatusNotification = new NotificationType<DovecotStatus>('dovecot/status');

/** `dovecot/treeFiles` (server → client): every file of an analysed tree, so the client gives them the Dovecot language. */
export interface TreeFiles {
  root: string;
  files: string[];
}
export const TreeFilesNotification = new NotificationType<TreeFiles>('dovecot/treeFiles');

/** `dovecot/inTree`: whether a file not (yet) opened as Dovecot belongs to the include tree of a root config. */
export const InTreeRequest = new RequestType<UriParams, boolean, void>('dovecot/inTree');

/** `dovecot/effectiveConfig`: the tree's settings in effect, like `doveconf -n`, for the root of `uri`. */
export interface EffectiveConfigParams extends UriParams {
  showSecrets?: boolean;
  /** What a hidden secret reads as: accepted only as one `# ...` comment line. */
  hiddenMarker?: string;
}
export interface EffectiveConfigResult {
  root: string;
  text: string;
}
export const EffectiveConfigRequest = new RequestType<EffectiveConfigParams, EffectiveConfigResult | null, void>(
  'dovecot/effectiveConfig',
);

/** `dovecot/pairHosts`: the doveadm HTTP API URLs proposed for the tree of `uri` and its peer (nothing is contacted). */
export const PairHostsRequest = new RequestType<UriParams, ProposedHost[], void>('dovecot/pairHosts');

/** `dovecot/checkWithDoveconf`: the installed doveconf's verdict on the tree of `uri` (only in a trusted workspace). */
export interface DoveconfCheckResult {
  root: string;
  /** doveconf's findings as diagnostics (source `doveconf`), also published with the tree's diagnostics. */
  diagnostics: { uri: string; diagnostic: Diagnostic }[];
  failure?: LiveFailure;
}
export const DoveconfCheckRequest = new RequestType<UriParams, DoveconfCheckResult | null, void>(
  'dovecot/checkWithDoveconf',
);
/** The `dovecot.checkWithDoveconf` command the server offers (same answer as the request). */
export const DOVECONF_CHECK_COMMAND = 'dovecot.checkWithDoveconf';

/** `dovecot/workspaceTrust` (client → server): the user trusts the workspace (VS Code's workspace trust). */
export interface WorkspaceTrust {
  trusted?: boolean;
}
export const WorkspaceTrustNotification = new NotificationType<WorkspaceTrust>('dovecot/workspaceTrust');

/** `dovecot/replicationSetupPlan`: what the replication wizard proposes for the tree whose root is `uri`. */
export interface ReplicationSetupPlan {
  root: string;
  defaults: SetupDefaults;
  mailPlugins: MailPluginsPlan;
}
export const ReplicationSetupPlanRequest = new RequestType<UriParams, ReplicationSetupPlan | null, void>(
  'dovecot/replicationSetupPlan',
);

export interface MigrateTreeParams {
  /** Any file of the tree; the server converts the tree of its root. */
  uri: string;
  target: MigrationTarget;
}

export interface MigrateTreeResult extends MigrationResult {
  /** Absolute path of the root file that was converted. */
  root: string;
  /** The report for the admin, as Markdown with `file:line` references relative to the root's folder. */
  reportMarkdown: string;
}

/** `dovecot/migrateTree`: the converted tree of the root of `uri`, and its report. Nothing is written. */
export const MigrateTreeRequest = new RequestType<MigrateTreeParams, MigrateTreeResult | null, void>(
  'dovecot/migrateTree',
);

/** The command the "Convert this tree to 2.4…" code action runs (VS Code only: it shows diffs and asks before writing). */
export const CONVERT_TO_24_COMMAND = 'dovecot.convertTo24';
