/**
 * The event log: every run, step and job transition as a row, readable as history and as a live
 * stream. Nothing here imports JAX-RS but the resource.
 */
package io.agentainer.flow.server.event;
