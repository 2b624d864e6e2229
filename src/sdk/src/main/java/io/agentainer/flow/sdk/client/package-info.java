/**
 * The client of the Agentainer Flow REST API, used by the CLI, the console and integrations. Plain
 * JDK HTTP and Jackson: nothing here may import Jakarta EE or server classes.
 */
package io.agentainer.flow.sdk.client;
