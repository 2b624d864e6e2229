/**
 * {@code GET /api/health}: database, Redis and Docker engine, each up or down with the reason. Open
 * without authentication.
 */
package io.agentainer.flow.server.health;
