/**
 * The seed's example workflows, written with the SDK's annotations: an ETL pipeline, atomic state
 * operations from parallel tasks, a pooled map, and a word count written by hand and with {@link
 * io.agentainer.flow.sdk.workflow.MapReduce}. The example agent serves all of them, so they run on
 * a server with {@code agentainer/example-agent:latest}, and in tests with {@link
 * io.agentainer.flow.sdk.workflow.LocalRunner}.
 */
package io.agentainer.flow.sdk.example.workflows;
