-- Limits the dispatcher honours when it picks queued jobs: per run (the definition's maxParallel)
-- and per step (the step's maxParallel).
ALTER TABLE run ADD COLUMN max_parallel integer CHECK (max_parallel IS NULL OR max_parallel > 0);
ALTER TABLE step ADD COLUMN max_parallel integer CHECK (max_parallel IS NULL OR max_parallel > 0);

-- How many times a step has been started: a retry of the run from its failed steps starts them again.
ALTER TABLE step ADD COLUMN attempt integer NOT NULL DEFAULT 1 CHECK (attempt >= 1);

-- Events: a run's events in order, and the newest events by type.
CREATE INDEX event_run_type_idx ON event (run_id, type, id) WHERE run_id IS NOT NULL;

-- A reduce job's upstream results, sent to its agent as the task's "results".
ALTER TABLE job ADD COLUMN results jsonb;
