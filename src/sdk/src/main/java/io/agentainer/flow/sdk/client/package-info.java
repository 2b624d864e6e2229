/**
 * The client of the Agentainer Flow REST API, used by the CLI, the console and integrations: {@link
 * io.agentainer.flow.sdk.client.FlowClient} and the records it sends and reads ({@code Job}, {@code
 * JobRequest}, {@code Page}...). Plain JDK HTTP and Jackson: nothing here may import Jakarta EE or
 * server classes, nor the SDK's agent runtime.
 */
package io.agentainer.flow.sdk.client;
