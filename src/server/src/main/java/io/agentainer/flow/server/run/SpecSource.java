package io.agentainer.flow.server.run;

import io.agentainer.flow.server.definition.WorkflowSpec;
import java.util.Optional;

/** The definitions runs start from: a version by name, and the parsed spec of a stored version. */
public interface SpecSource {

  /** A registered version: its row id, name and version number. */
  record Version(long id, String name, int version) {}

  /** The given version of {@code name}, or its latest when {@code version} is null. */
  Optional<Version> find(String name, Integer version);

  /** The parsed spec of the definition row {@code definitionId}. */
  WorkflowSpec spec(long definitionId);

  /** The name and version of the definition row {@code definitionId}. */
  Version version(long definitionId);
}
