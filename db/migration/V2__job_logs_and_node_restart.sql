-- The captured output of a job's agent (its tail), readable after the container is gone.
ALTER TABLE job ADD COLUMN logs text;

-- The agent a job ran on keeps the job it was started for (cold agents) and its exit code.
ALTER TABLE agent ADD COLUMN job_id uuid REFERENCES job (id) ON DELETE SET NULL;
ALTER TABLE agent ADD COLUMN exit_code integer;
CREATE INDEX agent_job_idx ON agent (job_id) WHERE job_id IS NOT NULL;

-- A job's running-on-this-node lookups and the listing of standalone jobs, newest first.
CREATE INDEX job_lease_owner_idx ON job (lease_owner) WHERE status = 'RUNNING';
CREATE INDEX job_queued_at_idx ON job (queued_at DESC, id);

-- Secrets the nodes share, e.g. the key that signs the run-scoped tokens agents get.
CREATE TABLE server_secret (
    name        text        PRIMARY KEY,
    value       bytea       NOT NULL CHECK (length(value) >= 32),
    created_at  timestamptz NOT NULL
);
