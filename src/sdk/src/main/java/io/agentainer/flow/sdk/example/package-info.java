/**
 * The example agent: the handlers every Flow installation can run ({@code echo}, {@code sleep},
 * {@code fail}, {@code crash}, {@code split}, {@code wordcount}, {@code sum}, {@code incr}) on the
 * SDK's agent runtime. Tests, demos and benchmarks use it, packaged as the shaded {@code
 * agentainer-flow-sdk-<version>-agent.jar} and the {@code agentainer/example-agent} image. It
 * depends on the agent runtime, the JDK and Jackson only.
 */
package io.agentainer.flow.sdk.example;
