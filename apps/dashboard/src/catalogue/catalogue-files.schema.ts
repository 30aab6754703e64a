// The JSON Schema of the INFN-style files beside a template (NAME.metadata.yml and
// NAME.parameters.yml), served at /catalogue-files.schema.json and checked with ajv at start:
// a file that does not match is named with every error, and the template is listed without it.
// The keys are the INFN dashboard's (display_name, icon, tag, visibility, tabs, inputs.*.tab...);
// icons are files in the templates folder (no outside resource is ever loaded by a page).

const WIDGETS = ['text', 'textarea', 'password', 'select', 'toggle', 'boolean', 'integer', 'float', 'list', 'map', 'ports', 'ssh_pub_key_type', 'email', 'hidden'];

export const METADATA_FILE_SCHEMA = {
  $id: 'https://baton.invalid/catalogue/metadata-file.json',
  type: 'object',
  additionalProperties: false,
  required: ['metadata'],
  properties: {
    metadata: {
      type: 'object',
      additionalProperties: true,
      properties: {
        display_name: { type: 'string', minLength: 1 },
        description: { type: 'string' },
        icon: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_./-]*\\.(svg|png)$', description: 'a file in the templates folder' },
        tag: { type: 'string' },
        tag_color: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        visibility: {
          type: 'object',
          additionalProperties: false,
          required: ['type'],
          properties: { type: { enum: ['public', 'private'] }, groups: { type: 'array', items: { type: 'string' } } },
        },
        require_ssh_key: { type: 'boolean' },
      },
    },
  },
} as const;

export const PARAMETERS_FILE_SCHEMA = {
  $id: 'https://baton.invalid/catalogue/parameters-file.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    tabs: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    inputs: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: true,
        properties: {
          tab: { type: 'string' },
          display_name: { type: 'string' },
          description: { type: 'string' },
          type: { enum: WIDGETS },
          placeholder: { type: 'string' },
          options: {
            type: 'array',
            items: {
              anyOf: [{ type: ['string', 'number', 'boolean'] }, { type: 'object', required: ['value'], properties: { value: {}, label: { type: 'string' } } }],
            },
          },
        },
      },
    },
  },
} as const;

/** Both, as one published document. */
export const CATALOGUE_FILES_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'baton dashboard: NAME.metadata.yml and NAME.parameters.yml',
  definitions: { metadataFile: METADATA_FILE_SCHEMA, parametersFile: PARAMETERS_FILE_SCHEMA },
};
