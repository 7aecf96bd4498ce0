// A node:test reporter that writes one JSON object: {"passed":N,"failed":N,"skipped":N,"failures":[...]}.
// Suites (describe) are not counted, only the tests in them; cancelled tests count as failed. Each failure keeps
// the test's name, file and the start of its error, so a run's closing summary can say why a test failed.
import { relative } from 'node:path';

const MAX_MESSAGE_LINES = 80;
const MAX_MESSAGE_CHARS = 8000;

export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.data.skip !== undefined || event.data.todo !== undefined) counts.skipped += 1;
    else if (event.type === 'test:pass') counts.passed += 1;
    else {
      counts.failed += 1;
      counts.failures.push({
        name: event.data.name,
        file: event.data.file,
        message: excerpt(event.data.details?.error),
      });
    }
  }
  yield `${JSON.stringify(counts)}\n`;
}

/** The failure's own error (node wraps it as the cause of ERR_TEST_FAILURE), cut to a readable length. */
function excerpt(error) {
  const cause = error?.cause ?? error;
  const text = String(cause?.message ?? cause ?? 'no error recorded');
  const lines = text.split('\n');
  const kept = lines.slice(0, MAX_MESSAGE_LINES).join('\n').slice(0, MAX_MESSAGE_CHARS);
  return kept.length < text.length
    ? `${kept}\n… (${text.length - kept.length} more characters in the tier's output above)`
    : kept;
}

/** The failures of one or more runs as the closing summary shows them: a FAIL line each, its error indented. */
export function formatFailures(failures, cwd) {
  return failures
    .map(({ tier, name, file, message }) => {
      const where = file ? ` (${relative(cwd, file)})` : '';
      return `FAIL ${tier}: ${name}${where}\n${message.replace(/^/gm, '  ')}`;
    })
    .join('\n');
}
