// Schema version 3: what the read paths need at 10,000 deployments and more (issue 5 item 5c).
// - `deployment_counts`: deployments per (owner, group, status), kept by triggers, so a list's
//   `totalElements` and /metrics' counts by status sum a few counter rows instead of counting every
//   deployment. Its key columns are the list filters' columns, so one WHERE serves both tables.
// - Indexes that give each list filter its default order (`created_at DESC, id ASC`) straight from
//   an index, and one for `sort=updatedAt`.
export const migration003 = {
  version: 3,
  name: 'read-paths',
  sql: `
CREATE TABLE deployment_counts (
  owner_issuer text,
  owner_subject text,
  user_group text,
  status text NOT NULL,
  n integer NOT NULL,
  CONSTRAINT deployment_counts_key UNIQUE NULLS NOT DISTINCT (owner_issuer, owner_subject, user_group, status)
);

CREATE FUNCTION deployment_counts_add(i text, s text, g text, st text, delta integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO deployment_counts AS c (owner_issuer, owner_subject, user_group, status, n) VALUES (i, s, g, st, delta)
  ON CONFLICT (owner_issuer, owner_subject, user_group, status) DO UPDATE SET n = c.n + EXCLUDED.n
$$;

-- On update, the two counter rows are always locked in status order: two transactions moving
-- deployments of one owner between the same two statuses in opposite directions cannot deadlock.
CREATE FUNCTION deployment_counts_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM deployment_counts_add(NEW.owner_issuer, NEW.owner_subject, NEW.user_group, NEW.status, 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM deployment_counts_add(OLD.owner_issuer, OLD.owner_subject, OLD.user_group, OLD.status, -1);
  ELSIF OLD.status <= NEW.status THEN
    PERFORM deployment_counts_add(OLD.owner_issuer, OLD.owner_subject, OLD.user_group, OLD.status, -1);
    PERFORM deployment_counts_add(NEW.owner_issuer, NEW.owner_subject, NEW.user_group, NEW.status, 1);
  ELSE
    PERFORM deployment_counts_add(NEW.owner_issuer, NEW.owner_subject, NEW.user_group, NEW.status, 1);
    PERFORM deployment_counts_add(OLD.owner_issuer, OLD.owner_subject, OLD.user_group, OLD.status, -1);
  END IF;
  RETURN NULL;
END
$$;

-- Writers wait from here to commit, so the backfill below and the triggers see the same rows.
LOCK TABLE deployments IN SHARE ROW EXCLUSIVE MODE;
CREATE TRIGGER deployments_count_insert_delete AFTER INSERT OR DELETE ON deployments
  FOR EACH ROW EXECUTE FUNCTION deployment_counts_trigger();
CREATE TRIGGER deployments_count_update AFTER UPDATE OF status, owner_issuer, owner_subject, user_group ON deployments
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.owner_issuer IS DISTINCT FROM NEW.owner_issuer
        OR OLD.owner_subject IS DISTINCT FROM NEW.owner_subject OR OLD.user_group IS DISTINCT FROM NEW.user_group)
  EXECUTE FUNCTION deployment_counts_trigger();
INSERT INTO deployment_counts (owner_issuer, owner_subject, user_group, status, n)
  SELECT owner_issuer, owner_subject, user_group, status, count(*) FROM deployments GROUP BY 1, 2, 3, 4;

-- The default order ends with the unique tie-breaker id ASC (stable pages): with id in each index,
-- a page is the first rows of one index scan, never a sort of every match.
DROP INDEX deployments_issuer_idx;
DROP INDEX deployments_owner_idx;
CREATE INDEX deployments_issuer_created_idx ON deployments (owner_issuer, created_at DESC, id);
CREATE INDEX deployments_owner_created_idx ON deployments (owner_issuer, owner_subject, created_at DESC, id);
CREATE INDEX deployments_group_created_idx ON deployments (user_group, created_at DESC, id) WHERE user_group IS NOT NULL;
CREATE INDEX deployments_updated_idx ON deployments (updated_at DESC, id);
`,
};
