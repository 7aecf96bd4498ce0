// How a doveadm request reaches a host: the local `doveadm` binary or a host's doveadm HTTP API.
import type { DoveadmRequest } from '../service/live/doveadmRequests';
import type { DoveadmAnswer } from '../service/live/doveadmResults';
import type { LiveFailure } from '../service/live/failures';

export type DoveadmOutcome = { ok: true; answer: DoveadmAnswer } | { ok: false; failure: LiveFailure };

export interface DoveadmTransport {
  /** Where requests go, for people: `http://10.0.0.2:8080` or `doveadm on this machine`. */
  readonly location: string;
  run(request: DoveadmRequest): Promise<DoveadmOutcome>;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
