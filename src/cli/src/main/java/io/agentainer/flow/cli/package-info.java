/**
 * The {@code agentainer} command line (picocli), a client of the REST API through the SDK's {@code
 * FlowClient}. {@link io.agentainer.flow.cli.Agentainer} holds the global options and exit codes;
 * one class per command or command group ({@code list}, {@code job}, {@code workflow}, {@code
 * health}); {@code Table}, {@code JobPrinter} and {@code Times} lay results out for a terminal.
 * Nothing here imports Jakarta EE or server classes.
 */
package io.agentainer.flow.cli;
