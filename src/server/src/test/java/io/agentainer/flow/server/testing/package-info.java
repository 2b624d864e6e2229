/** Test support: the PostgreSQL extension of the repository tests. */
package io.agentainer.flow.server.testing;
