package io.agentainer.flow.server.run;

import io.agentainer.flow.server.definition.Definition;
import io.agentainer.flow.server.definition.DefinitionService;
import io.agentainer.flow.server.definition.WorkflowSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Specs from the registered definitions. A stored version never changes, so parsed specs are kept
 * by row id.
 */
@ApplicationScoped
public class DefinitionSpecs implements SpecSource {

  @Inject DefinitionService definitions;

  private final Map<Long, WorkflowSpec> parsed = new ConcurrentHashMap<>();
  private final Map<Long, Version> versions = new ConcurrentHashMap<>();

  @Override
  public Optional<Version> find(String name, Integer version) {
    return definitions.find(name, version).map(DefinitionSpecs::version);
  }

  @Override
  public WorkflowSpec spec(long definitionId) {
    return parsed.computeIfAbsent(definitionId, definitions::spec);
  }

  @Override
  public Version version(long definitionId) {
    return versions.computeIfAbsent(definitionId, id -> version(definitions.get(id)));
  }

  private static Version version(Definition d) {
    return new Version(d.id(), d.name(), d.version());
  }
}
