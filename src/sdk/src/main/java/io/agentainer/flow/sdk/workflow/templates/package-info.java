/**
 * Workflow templates: extend one, annotate the subclass with {@link
 * io.agentainer.flow.sdk.workflow.Workflow}, and write the hooks; the steps are inherited.
 */
package io.agentainer.flow.sdk.workflow.templates;
