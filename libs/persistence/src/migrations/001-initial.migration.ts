// Schema version 1. Names avoid BullMQ's Postgres backend tables (job, event, meta, migration...)
// so both may share a database or schema.
export const migration001 = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE deployments (
  id uuid PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL,
  status_reason text,
  task text NOT NULL,
  template text NOT NULL,
  parameters jsonb NOT NULL,
  secret_inputs text[] NOT NULL DEFAULT '{}',
  outputs jsonb NOT NULL DEFAULT '{}',
  callback text,
  user_group text,
  owner_issuer text,
  owner_subject text,
  owner_name text,
  keep_last_attempt boolean NOT NULL DEFAULT false,
  max_providers_retry integer,
  timeout_mins integer,
  provider_timeout_mins integer,
  deadline_at timestamptz,
  provider_name text,
  provider_endpoint jsonb,
  physical_id text,
  compiled jsonb NOT NULL,
  generation integer NOT NULL DEFAULT 1,
  version integer NOT NULL DEFAULT 1,
  attempts jsonb NOT NULL DEFAULT '[]',
  extra_info jsonb NOT NULL DEFAULT '[]'
);
-- List views: by issuer (admin), by owner ("me"), newest first; status for the reconciler.
CREATE INDEX deployments_created_idx ON deployments (created_at DESC, id);
CREATE INDEX deployments_issuer_idx ON deployments (owner_issuer, created_at DESC);
CREATE INDEX deployments_owner_idx ON deployments (owner_issuer, owner_subject, created_at DESC);
CREATE INDEX deployments_status_idx ON deployments (status);

CREATE TABLE resources (
  id uuid PRIMARY KEY,
  deployment_id uuid NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  instance_id text NOT NULL,
  node_name text NOT NULL,
  node_type text NOT NULL,
  node_types text[] NOT NULL,
  idx integer NOT NULL,
  state text NOT NULL,
  physical_id text,
  attributes jsonb NOT NULL DEFAULT '{}',
  vm_info jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (deployment_id, instance_id)
);
CREATE INDEX resources_deployment_idx ON resources (deployment_id, created_at DESC);

CREATE TABLE cloud_resources (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL,
  deployment_id uuid NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  instance_id text,
  provider text NOT NULL,
  kind text NOT NULL,
  name text NOT NULL,
  cloud_id text,
  status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (deployment_id, provider, kind, name)
);

CREATE TABLE steps (
  deployment_id uuid NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  generation integer NOT NULL,
  step_id text NOT NULL,
  kind text NOT NULL,
  depends_on text[] NOT NULL,
  status text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  error text,
  spec jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (deployment_id, generation, step_id)
);

CREATE TABLE log_lines (
  deployment_id uuid NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  seq bigserial NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  text text NOT NULL,
  PRIMARY KEY (deployment_id, seq)
);

CREATE TABLE deployment_secrets (
  deployment_id uuid NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  name text NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (deployment_id, name)
);
`,
};
