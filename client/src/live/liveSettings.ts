// The machine-scoped settings of the live replication view and the API keys in SecretStorage.
// Hosts, program paths and keys never come from a workspace: `dovecot.live.*` are `"scope": "machine"`
// settings (VS Code ignores them in workspace settings) and keys live in the OS keychain.
import * as vscode from 'vscode';
import { parseHostSpecs, type HostSpec, type TransportSettings } from '../../../server/src/live/liveHosts';

export const LIVE_SECTION = 'dovecot.live';
const API_KEY_PREFIX = 'dovecot.live.apiKey:';

export interface LiveSettings {
  hosts: HostSpec[];
  problems: string[];
  doveadmPath: string;
  doveconfPath: string;
  refreshSeconds: number;
  timeoutMs: number;
}

export function readLiveSettings(): LiveSettings {
  const config = vscode.workspace.getConfiguration(LIVE_SECTION);
  const { hosts, problems } = parseHostSpecs(config.get<unknown>('hosts'));
  return {
    hosts,
    problems,
    doveadmPath: config.get<string>('doveadmPath') || 'doveadm',
    doveconfPath: config.get<string>('doveconfPath') || 'doveconf',
    refreshSeconds: Math.max(0, config.get<number>('refreshSeconds') ?? 60),
    timeoutMs: Math.max(1, config.get<number>('timeoutSeconds') ?? 15) * 1000,
  };
}

/** SecretStorage key of a host's doveadm_api_key: per URL, so two hosts can have different keys. */
export function apiKeySecret(url: string): string {
  return `${API_KEY_PREFIX}${url}`;
}

/** Transport settings with the API keys read from SecretStorage beforehand (the transports are synchronous about keys). */
export async function transportSettings(
  secrets: vscode.SecretStorage,
  settings: LiveSettings,
): Promise<TransportSettings> {
  const keys = new Map<string, string>();
  for (const host of settings.hosts) {
    if (!host.url) continue;
    const key = await secrets.get(apiKeySecret(host.url));
    if (key) keys.set(host.url, key);
  }
  return {
    doveadmPath: settings.doveadmPath,
    timeoutMs: settings.timeoutMs,
    apiKeyFor: (spec) => (spec.url ? keys.get(spec.url) : undefined),
    apiKeyHint: (spec) => `run "Dovecot: Set doveadm API Key…" on ${spec.name} in the Dovecot Replication view`,
  };
}
