/**
 * The {@code agentainer} command line (picocli), a client of the REST API through the SDK. Nothing
 * here imports Jakarta EE or server classes.
 */
package io.agentainer.flow.cli;
