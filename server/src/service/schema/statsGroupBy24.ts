// What Dovecot 2.4's stats process checks in a metric's `group_by FIELD { method NAME { } }` when it starts
// (stats_metrics_get_group_by(), src/stats/stats-metrics.c@2.4.4). doveconf checks none of it: the stats
// process stops with the error, and Dovecot runs without it.

/** A setting's value as the method block reads it (its own, else inherited); undefined when not known. */
export type MethodValue = (key: string) => string | undefined;

const PREFIX = 'metric_group_by_method_';

function number(value: string | undefined): bigint | undefined {
  return value !== undefined && /^\d+$/.test(value) ? BigInt(value) : undefined;
}

function exponentialError(value: MethodValue): string | undefined {
  const base = number(value(`${PREFIX}exponential_base`));
  if (base === undefined || base === 2n || base === 10n) return undefined;
  return `${PREFIX}exponential_base must be 2 or 10`;
}

function linearError(value: MethodValue): string | undefined {
  const [min, max, step] = ['min', 'max', 'step'].map((name) => number(value(`${PREFIX}linear_${name}`)));
  if (step === 0n) return `${PREFIX}linear_step must not be 0`;
  if (min === undefined || max === undefined || step === undefined) return undefined;
  if (min >= max) return `${PREFIX}linear_min (${min}) must be smaller than ${PREFIX}linear_max (${max})`;
  if (min + step > max)
    return `${PREFIX}linear_min (${min}) + ${PREFIX}linear_step (${step}) must be <= ${PREFIX}linear_max (${max})`;
  return undefined;
}

/**
 * The stats process's error for `group_by field` with the method blocks `methods` (their names), or undefined
 * when it starts (also when a value it reads is not known).
 */
export function groupByError24(field: string, methods: readonly string[], value: MethodValue): string | undefined {
  let error: string | undefined;
  if (methods.length > 1) error = 'Only one metric_group_by_method named filter is allowed';
  else if (methods[0] === 'exponential') error = exponentialError(value);
  else if (methods[0] === 'linear') error = linearError(value);
  return error === undefined ? undefined : `metric_group_by ${field}: ${error}`;
}
