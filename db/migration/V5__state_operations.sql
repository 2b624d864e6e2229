-- Workflow state: the current value's JSON type (also for values stored out of line), exactly-once
-- changes through idempotency keys, and job checkpoints that a retried attempt reads back.
ALTER TABLE state_entry ADD COLUMN value_type text NOT NULL DEFAULT 'null'
    CHECK (value_type IN ('object', 'array', 'string', 'number', 'boolean', 'null'));
UPDATE state_entry SET value_type = jsonb_typeof(value) WHERE value IS NOT NULL;

ALTER TABLE state_history ADD COLUMN op_id text CHECK (length(op_id) BETWEEN 1 AND 200);
CREATE UNIQUE INDEX state_history_op_idx ON state_history (run_id, op_id) WHERE op_id IS NOT NULL;

-- A history row tells the value it wrote: out of line ones keep their blob after the key changes.
ALTER TABLE state_entry DROP CONSTRAINT state_entry_blob_id_fkey;
ALTER TABLE state_entry ADD FOREIGN KEY (blob_id) REFERENCES state_blob (id) ON DELETE CASCADE;
ALTER TABLE state_history DROP CONSTRAINT state_history_blob_id_fkey;
ALTER TABLE state_history ADD FOREIGN KEY (blob_id) REFERENCES state_blob (id) ON DELETE CASCADE;

ALTER TABLE job ADD COLUMN checkpoint jsonb;

-- Retention: when a finished run's state and history were removed.
ALTER TABLE run ADD COLUMN state_removed_at timestamptz;
CREATE INDEX run_finished_idx ON run (finished_at) WHERE finished_at IS NOT NULL AND state_removed_at IS NULL;
