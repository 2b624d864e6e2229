-- Baseline schema of Agentainer Flow: the whole domain of DESIGN section 2.
-- Times are timestamptz (instants); JSON documents are jsonb; statuses are checked here as well as
-- in the entities' transition tables, so no path around the application can store a wrong one.

-- Server nodes: each WildFly running the server registers here and heartbeats; leases point at it.
CREATE TABLE node (
    id            text        PRIMARY KEY,
    host          text        NOT NULL,
    pid           bigint,
    version       text,
    status        text        NOT NULL CHECK (status IN ('ACTIVE', 'STOPPED')),
    started_at    timestamptz NOT NULL,
    heartbeat_at  timestamptz NOT NULL,
    stopped_at    timestamptz,
    CHECK (heartbeat_at >= started_at)
);
CREATE INDEX node_active_heartbeat_idx ON node (heartbeat_at) WHERE status = 'ACTIVE';

-- Workflow definitions: a name with versions 1, 2, ...; old runs keep the version they started with.
CREATE TABLE definition (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text        NOT NULL CHECK (name ~ '^[a-z0-9_-]{1,64}$'),
    version      integer     NOT NULL CHECK (version > 0),
    description  text,
    spec         jsonb       NOT NULL,
    spec_hash    text        NOT NULL,
    created_at   timestamptz NOT NULL,
    CONSTRAINT definition_name_version_uq UNIQUE (name, version)
);

-- Runs: one execution of a definition version (the run id is the jobs' workflowId).
CREATE TABLE run (
    id                  uuid        PRIMARY KEY,
    definition_id       bigint      NOT NULL REFERENCES definition (id),
    status              text        NOT NULL
        CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')),
    input               jsonb,
    output              jsonb,
    error               jsonb,
    idempotency_key     text,
    parent_run_id       uuid        REFERENCES run (id),
    parent_step_name    text,
    trigger_kind        text        NOT NULL DEFAULT 'api'
        CHECK (trigger_kind IN ('api', 'schedule', 'event', 'workflow', 'retry')),
    priority            integer     NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL,
    started_at          timestamptz,
    finished_at         timestamptz,
    deadline_at         timestamptz,
    row_version         bigint      NOT NULL DEFAULT 0,
    CHECK (finished_at IS NULL OR started_at IS NULL OR finished_at >= started_at),
    CHECK ((parent_run_id IS NULL) = (parent_step_name IS NULL))
);
CREATE UNIQUE INDEX run_idempotency_uq ON run (definition_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX run_status_created_idx ON run (status, created_at DESC);
CREATE INDEX run_definition_created_idx ON run (definition_id, created_at DESC);
CREATE INDEX run_parent_idx ON run (parent_run_id) WHERE parent_run_id IS NOT NULL;
CREATE INDEX run_deadline_idx ON run (deadline_at) WHERE status IN ('PENDING', 'RUNNING') AND deadline_at IS NOT NULL;

-- Steps of a run: one row per node of the run's DAG, with its counters.
CREATE TABLE step (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id        uuid        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    name          text        NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('task', 'parallel', 'map', 'reduce', 'branch', 'workflow')),
    status        text        NOT NULL
        CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED', 'TIMED_OUT')),
    total         integer     NOT NULL DEFAULT 0 CHECK (total >= 0),
    succeeded     integer     NOT NULL DEFAULT 0 CHECK (succeeded >= 0),
    failed        integer     NOT NULL DEFAULT 0 CHECK (failed >= 0),
    running       integer     NOT NULL DEFAULT 0 CHECK (running >= 0),
    child_run_id  uuid        REFERENCES run (id),
    output        jsonb,
    error         jsonb,
    started_at    timestamptz,
    finished_at   timestamptz,
    deadline_at   timestamptz,
    row_version   bigint      NOT NULL DEFAULT 0,
    CONSTRAINT step_run_name_uq UNIQUE (run_id, name),
    CHECK (succeeded + failed + running <= total OR total = 0)
);

-- Pools of warm agents: one image and configuration, isolated per definition unless shared.
CREATE TABLE pool (
    id                uuid        PRIMARY KEY,
    name              text        NOT NULL UNIQUE,
    runtime           text        NOT NULL CHECK (runtime IN ('docker', 'process')),
    image             text        NOT NULL,
    config            jsonb       NOT NULL,
    config_hash       text        NOT NULL,
    definition_name   text,
    shared            boolean     NOT NULL DEFAULT false,
    min_size          integer     NOT NULL DEFAULT 0 CHECK (min_size >= 0),
    max_size          integer     NOT NULL CHECK (max_size >= 1),
    idle_timeout_ms   bigint      NOT NULL CHECK (idle_timeout_ms > 0),
    max_uses          integer     CHECK (max_uses IS NULL OR max_uses > 0),
    warm_up           boolean     NOT NULL DEFAULT true,
    status            text        NOT NULL CHECK (status IN ('ACTIVE', 'DRAINING', 'STOPPED')),
    created_at        timestamptz NOT NULL,
    row_version       bigint      NOT NULL DEFAULT 0,
    CHECK (min_size <= max_size),
    CHECK (shared OR definition_name IS NOT NULL OR name LIKE 'adhoc-%')
);

-- Agents: a container or process serving the task protocol, cold (one job) or in a pool.
CREATE TABLE agent (
    id             uuid        PRIMARY KEY,
    pool_id        uuid        REFERENCES pool (id) ON DELETE SET NULL,
    node_id        text        REFERENCES node (id) ON DELETE SET NULL,
    runtime        text        NOT NULL CHECK (runtime IN ('docker', 'process')),
    image          text        NOT NULL,
    container_id   text,
    pid            bigint,
    endpoint       text,
    status         text        NOT NULL
        CHECK (status IN ('STARTING', 'IDLE', 'BUSY', 'DRAINING', 'STOPPED', 'FAILED')),
    uses           integer     NOT NULL DEFAULT 0 CHECK (uses >= 0),
    started_at     timestamptz NOT NULL,
    ready_at       timestamptz,
    last_used_at   timestamptz,
    stopped_at     timestamptz,
    stop_reason    text,
    row_version    bigint      NOT NULL DEFAULT 0
);
CREATE INDEX agent_pool_status_idx ON agent (pool_id, status) WHERE status NOT IN ('STOPPED', 'FAILED');

-- Jobs: one task on one agent. workflowId = run_id, stepId = step_name, taskId = task_id.
CREATE TABLE job (
    id                 uuid        PRIMARY KEY,
    run_id             uuid        REFERENCES run (id) ON DELETE CASCADE,
    step_name          text,
    task_id            integer     CHECK (task_id IS NULL OR task_id >= 0),
    parent_job_id      uuid        REFERENCES job (id) ON DELETE CASCADE,
    attempt            integer     NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    max_attempts       integer     NOT NULL DEFAULT 1 CHECK (max_attempts >= 1),
    status             text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    execution_mode     text        NOT NULL CHECK (execution_mode IN ('cold', 'pooled')),
    runtime            text        NOT NULL CHECK (runtime IN ('docker', 'process')),
    image              text        NOT NULL,
    handler            text,
    agent_config       jsonb,
    input              jsonb,
    output             jsonb,
    error              jsonb,
    agent_id           uuid        REFERENCES agent (id) ON DELETE SET NULL,
    pool_id            uuid        REFERENCES pool (id) ON DELETE SET NULL,
    priority           integer     NOT NULL DEFAULT 0,
    timeout_ms         bigint      CHECK (timeout_ms IS NULL OR timeout_ms > 0),
    queued_at          timestamptz NOT NULL,
    due_at             timestamptz NOT NULL,
    started_at         timestamptz,
    finished_at        timestamptz,
    agent_acquire_ms   bigint      CHECK (agent_acquire_ms IS NULL OR agent_acquire_ms >= 0),
    lease_owner        text        REFERENCES node (id) ON DELETE SET NULL,
    lease_expires_at   timestamptz,
    row_version        bigint      NOT NULL DEFAULT 0,
    -- a step belongs to a run, a task to a step
    CHECK (step_name IS NULL OR run_id IS NOT NULL),
    CHECK (task_id IS NULL OR step_name IS NOT NULL),
    CHECK (attempt <= max_attempts),
    CHECK (status <> 'RUNNING' OR started_at IS NOT NULL),
    CHECK (status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED') OR finished_at IS NOT NULL)
);
-- the engine's claim: due queued jobs, oldest first (FOR UPDATE SKIP LOCKED)
CREATE INDEX job_due_idx ON job (due_at, priority DESC) WHERE status = 'QUEUED';
-- the jobs of a run by step and task (the run's job list, a step's fan-in)
CREATE INDEX job_run_step_task_idx ON job (run_id, step_name, task_id, attempt);
-- expired leases of dead nodes
CREATE INDEX job_lease_idx ON job (lease_expires_at) WHERE status = 'RUNNING';
CREATE INDEX job_parent_idx ON job (parent_job_id) WHERE parent_job_id IS NOT NULL;
CREATE INDEX job_status_queued_idx ON job (status, queued_at DESC);

-- Large state values, compressed and stored out of line.
CREATE TABLE state_blob (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id        uuid        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    compression   text        NOT NULL CHECK (compression IN ('none', 'gzip')),
    size_bytes    bigint      NOT NULL CHECK (size_bytes >= 0),
    data          bytea       NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX state_blob_run_idx ON state_blob (run_id);

-- Current state of a run: the checkpointed value of each key.
CREATE TABLE state_entry (
    run_id                 uuid        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    key                    text        NOT NULL CHECK (length(key) BETWEEN 1 AND 512),
    value                  jsonb,
    blob_id                bigint      REFERENCES state_blob (id),
    checkpoint_history_id  bigint      NOT NULL DEFAULT 0,
    updated_at             timestamptz NOT NULL,
    row_version            bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, key),
    CHECK ((value IS NULL) <> (blob_id IS NULL))
);

-- Every change of state, append only: state at any past time is rebuilt from it.
CREATE TABLE state_history (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id    uuid        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    key       text        NOT NULL,
    op        text        NOT NULL
        CHECK (op IN ('PUT', 'DELETE', 'INCREMENT', 'APPEND', 'ADD_TO_SET', 'COMPARE_AND_SWAP')),
    value     jsonb,
    delta     numeric,
    blob_id   bigint      REFERENCES state_blob (id),
    job_id    uuid        REFERENCES job (id) ON DELETE SET NULL,
    at        timestamptz NOT NULL,
    CHECK (op <> 'INCREMENT' OR delta IS NOT NULL)
);
CREATE INDEX state_history_run_key_idx ON state_history (run_id, key, id);
CREATE INDEX state_history_run_at_idx ON state_history (run_id, at);

-- Events: the append-only log of what happened to runs, steps, jobs, pools and schedules.
CREATE TABLE event (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id    uuid        REFERENCES run (id) ON DELETE CASCADE,
    job_id    uuid        REFERENCES job (id) ON DELETE CASCADE,
    step_name text,
    type      text        NOT NULL CHECK (type ~ '^[a-z]+(\.[a-z_]+)+$'),
    payload   jsonb,
    at        timestamptz NOT NULL
);
CREATE INDEX event_run_idx ON event (run_id, id) WHERE run_id IS NOT NULL;
CREATE INDEX event_type_at_idx ON event (type, at);

-- Schedules: start a definition on a cron expression in a time zone.
CREATE TABLE schedule (
    id               uuid        PRIMARY KEY,
    name             text        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9_-]{1,64}$'),
    definition_name  text        NOT NULL,
    cron             text        NOT NULL,
    timezone         text        NOT NULL DEFAULT 'UTC',
    input            jsonb,
    status           text        NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED')),
    overlap          text        NOT NULL DEFAULT 'skip' CHECK (overlap IN ('skip', 'allow', 'cancel_previous')),
    catch_up         boolean     NOT NULL DEFAULT false,
    next_fire_at     timestamptz,
    last_fire_at     timestamptz,
    last_run_id      uuid        REFERENCES run (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL,
    row_version      bigint      NOT NULL DEFAULT 0,
    CHECK (status <> 'ACTIVE' OR next_fire_at IS NOT NULL)
);
CREATE INDEX schedule_due_idx ON schedule (next_fire_at) WHERE status = 'ACTIVE';

-- Triggers: start a definition when an event arrives (a webhook, another run's completion).
CREATE TABLE trigger (
    id               uuid        PRIMARY KEY,
    name             text        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9_-]{1,64}$'),
    kind             text        NOT NULL CHECK (kind IN ('event', 'webhook', 'workflow')),
    definition_name  text        NOT NULL,
    filter           jsonb,
    input            jsonb,
    enabled          boolean     NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL,
    row_version      bigint      NOT NULL DEFAULT 0
);
