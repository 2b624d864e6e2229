/**
 * The agent runtime: an HTTP server that speaks agent task protocol v1 ({@code GET /health}, {@code
 * POST /task}, {@code DELETE /task/{jobId}}) and dispatches each task to a {@link
 * io.agentainer.flow.sdk.agent.TaskHandler} registered by name. It runs inside agent images and
 * local agent processes, so it uses the JDK ({@code com.sun.net.httpserver}, {@code java.net.http})
 * and Jackson only: nothing here may import Jakarta EE, server or console classes, or the SDK's
 * client. The protocol is described in {@code src/sdk/PROTOCOL.md}.
 */
package io.agentainer.flow.sdk.agent;
