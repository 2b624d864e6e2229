/**
 * Workflow definitions: the format of DESIGN section 2 as records ({@link
 * io.agentainer.flow.server.definition.WorkflowSpec} and its parts), its parser for JSON and YAML
 * with validation that names the step and field at fault, its published JSON Schema, the validation
 * of a run's input against a definition's {@code parameters}, and the versioned {@link
 * io.agentainer.flow.server.definition.Definition} entity with its repository, service and {@code
 * /api/definitions} resource. Only the resource may import JAX-RS; the engine reads specs from here
 * and nothing here knows of runs.
 */
package io.agentainer.flow.server.definition;
