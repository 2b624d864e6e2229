-- Agent pools: how long a lease may wait, warm-up on a schedule, and whether a job's agent was
-- started for it (a cold start) or was already warm.
ALTER TABLE pool ADD COLUMN lease_timeout_ms bigint NOT NULL DEFAULT 120000 CHECK (lease_timeout_ms > 0);
ALTER TABLE pool ADD COLUMN warm_schedule text CHECK (warm_schedule IS NULL OR length(warm_schedule) BETWEEN 1 AND 200);
ALTER TABLE pool ADD COLUMN warm_size integer CHECK (warm_size IS NULL OR warm_size >= 0);
ALTER TABLE pool ADD CONSTRAINT pool_warm_size_max CHECK (warm_size IS NULL OR warm_size <= max_size);

ALTER TABLE job ADD COLUMN cold_start boolean;

CREATE INDEX agent_pool_reason_idx ON agent (pool_id, stop_reason) WHERE pool_id IS NOT NULL;
CREATE INDEX agent_node_alive_idx ON agent (node_id) WHERE status NOT IN ('STOPPED', 'FAILED');
