/**
 * The Agentainer Flow web console: a Vaadin application, deployed as its own WAR at context root
 * {@code /}, that talks to the server only through the public REST API with the SDK's {@code
 * FlowClient}. This root package holds the application shell; {@code api} wraps the client and
 * {@code ui} holds the layout and the views. Nothing in the console may import {@code
 * io.agentainer.flow.server} classes: everything an operator sees must be reachable by an
 * integration too.
 */
package io.agentainer.flow.console;
