/**
 * Helpers of the {@code flow} launcher: the database check that fails fast on a wrong {@code
 * FLOW_DB_URL}, and embedded PostgreSQL and Redis for machines without them.
 */
package io.agentainer.flow.deploy;
