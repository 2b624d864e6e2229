/**
 * The {@code agentainer} command line (picocli), a client of the REST API through the SDK's {@code
 * FlowClient}. {@link io.agentainer.flow.cli.Agentainer} holds the global options and exit codes,
 * {@code ClientSettings} where the server's address and token come from; one class per command or
 * command group ({@code list}, {@code job}, {@code workflow} with {@code workflow events} and
 * {@code workflow state}, {@code health}); {@code Table}, {@code JobPrinter} and {@code Times} lay
 * results out for a terminal. {@code StateApi} calls the run state API ({@code
 * /api/workflows/{id}/state}) itself, with the client's address and token, as the client has no
 * state calls. Nothing here imports Jakarta EE or server classes.
 */
package io.agentainer.flow.cli;
