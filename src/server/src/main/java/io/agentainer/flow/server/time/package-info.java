/** The injected {@link java.time.Clock}, so time-dependent code is tested without sleeping. */
package io.agentainer.flow.server.time;
