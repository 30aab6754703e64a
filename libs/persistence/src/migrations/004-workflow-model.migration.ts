// Schema version 4: the typed workflow model (libs/orchestrator/src/workflow).
// - `steps.failure_code`: a failed step's failure code beside its message, so finish reads what
//   happened (a time-out, say) from a code, never from the text.
// - `resources.provisioned`: the instance's create step completed once. An update reconfigures
//   such instances and creates the others again (a scale-out that failed on quota left an ERROR
//   row with no server; its retry must make the server). Rows from before: a server or volume was
//   made, or the instance reached STARTED.
export const migration004 = {
  version: 4,
  name: 'workflow-model',
  sql: `
ALTER TABLE steps ADD COLUMN failure_code text;
ALTER TABLE resources ADD COLUMN provisioned boolean NOT NULL DEFAULT false;
UPDATE resources SET provisioned = true WHERE physical_id IS NOT NULL OR state IN ('STARTED', 'CONFIGURING', 'DELETING');
`,
};
