/**
 * The client of the Agentainer Flow REST API, used by the CLI, the console and integrations: {@link
 * io.agentainer.flow.sdk.client.FlowClient}, the records it sends and reads ({@code Job}, {@code
 * JobRequest}, {@code Definition}, {@code Run}, {@code Pool}, {@code FlowEvent}, {@code Page}...)
 * and {@link io.agentainer.flow.sdk.client.EventStream}, which follows a run's server-sent events.
 * Plain JDK HTTP and Jackson: nothing here may import Jakarta EE or server classes, nor the SDK's
 * agent runtime.
 */
package io.agentainer.flow.sdk.client;
