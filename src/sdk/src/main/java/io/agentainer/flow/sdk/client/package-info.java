/**
 * The client of the Agentainer Flow REST API, used by the CLI, the console and integrations: {@link
 * io.agentainer.flow.sdk.client.FlowClient}, synchronous; {@link
 * io.agentainer.flow.sdk.client.WorkflowClient}, asynchronous, with typed exceptions ({@code
 * NotFoundException}, {@code InvalidRequestException}, {@code ConflictException}, {@code
 * UnauthorizedException}, {@code UnavailableException}) and retries; the records they send and read
 * ({@code Job}, {@code JobRequest}, {@code Definition}, {@code Run}, {@code Pool}, {@code
 * FlowEvent}, {@code Page}...) and {@link io.agentainer.flow.sdk.client.EventStream}, which follows
 * a run's server-sent events. Plain JDK HTTP and Jackson: nothing here may import Jakarta EE or
 * server classes, nor the SDK's agent runtime.
 */
package io.agentainer.flow.sdk.client;
