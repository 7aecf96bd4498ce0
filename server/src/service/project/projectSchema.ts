import { RULES } from '../analysis/rules';

const LEVELS = ['off', 'hint', 'information', 'warning', 'error'];

/** JSON schema of the project file; `rules` takes the ids of the rules table. */
export function projectSchema(): object {
  const path = { type: 'string', minLength: 1 };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/dovecot-tooling/dovecot-lsp/schemas/dovecot-lint.schema.json',
    title: 'dovecot-lint project file',
    description:
      'Settings shared by the dovecot-lint command and the Dovecot VS Code extension. Paths are relative to the folder of this file.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      roots: {
        description:
          'Root configuration files (dovecot.conf of each host), as paths or globs. Default: every dovecot.conf found below this folder that no other one includes.',
        type: 'array',
        items: path,
      },
      exclude: {
        description:
          'Globs of files and folders never searched for root configurations (node_modules and hidden folders are always skipped).',
        type: 'array',
        items: path,
      },
      pairs: {
        description:
          'Replication pairs: the root configurations of the two hosts that replicate with each other. Enables the checks between the two hosts.',
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['a', 'b'],
          properties: {
            a: { ...path, description: 'Root configuration of one host.' },
            b: { ...path, description: 'Root configuration of the other host.' },
          },
        },
      },
      rules: {
        description: 'Level of each rule by id: off, hint, information, warning or error.',
        type: 'object',
        propertyNames: { enum: RULES.map((rule) => rule.id) },
        additionalProperties: { enum: LEVELS },
      },
      dovecotVersion: {
        description: 'The Dovecot version the configuration is written for; auto detects it from the files.',
        enum: ['auto', '2.3', '2.4'],
      },
      templates: {
        description: 'Jinja2 and Go template files ({{ }}, {% %}, {# #}).',
        type: 'object',
        additionalProperties: false,
        properties: {
          enabled: {
            description: 'Treat template expressions as unknown values instead of reporting them.',
            type: 'boolean',
          },
          extensions: {
            description: 'File name endings of template files, besides .j2, .jinja, .jinja2, .tmpl and .tpl.',
            type: 'array',
            items: { type: 'string', pattern: '^\\.[^/\\\\]+$' },
          },
        },
      },
    },
  };
}
