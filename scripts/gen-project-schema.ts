// Writes the JSON schema of the project file (.dovecot-lint.json, or the "dovecot-lint" key of package.json)
// that VS Code uses for completion and validation of the file.
// Usage: node --import tsx scripts/gen-project-schema.ts [--check]   (--check: exit 1 when the file is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { projectSchema } from '../server/src/service/project/projectSchema';

export const SCHEMA_PATH = 'schemas/dovecot-lint.schema.json';
export const schemaText = (): string => `${JSON.stringify(projectSchema(), null, 2)}\n`;

if (require.main === module) {
  const text = schemaText();
  if (process.argv.includes('--check')) {
    if (readFileSync(SCHEMA_PATH, 'utf8') !== text) {
      console.error(`${SCHEMA_PATH} is stale: run npm run gen:rule-docs`);
      process.exit(1);
    }
  } else {
    writeFileSync(SCHEMA_PATH, text);
  }
}
