package io.agentainer.flow.server.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentainer.flow.server.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Definitions as clients and the engine see them: register a new version, validate without
 * registering, read versions and their specs.
 *
 * <p>Registering takes a lock on the name for the rest of the transaction ({@link
 * DefinitionRepository#lockName}), so concurrent registrations of one name get versions 1, 2, ...
 * in turn instead of colliding. A definition identical to the latest version (the same canonical
 * JSON, so the same hash) is not stored again: the latest version is the answer.
 */
@ApplicationScoped
public class DefinitionService {

  /** Where the JSON Schema of the format is, on the class path. */
  public static final String SCHEMA_RESOURCE = "/schema/definition.schema.json";

  private static final int CACHED_SPECS = 1_000;

  private final DefinitionRepository definitions;
  private final Clock clock;

  /** Parsed specs by definition id: a stored version never changes. */
  private final Map<Long, WorkflowSpec> specs = new ConcurrentHashMap<>();

  @Inject
  public DefinitionService(DefinitionRepository definitions, Clock clock) {
    this.definitions = definitions;
    this.clock = clock;
  }

  /** For CDI's proxy. */
  protected DefinitionService() {
    this(null, null);
  }

  /** The outcome of a registration: the version, and whether it is new. */
  public record Registration(Definition definition, boolean created) {}

  /** A new version of a definition was registered (observed once it commits). */
  public record Registered(WorkflowSpec spec) {}

  @jakarta.inject.Inject jakarta.enterprise.event.Event<Registered> registered;

  /**
   * Parses, validates and registers a definition as the next version of its name, unless it is
   * identical to the latest version, which is then the answer ({@code created} false).
   *
   * @param format {@code json}, {@code yaml} or a media type
   * @throws DefinitionException with every problem of the definition
   */
  @Transactional
  public Registration register(String text, String format) {
    return store(DefinitionParser.parse(text, format));
  }

  /**
   * Registers a spec built in code: it is validated as if it had been parsed.
   *
   * @throws DefinitionException with every problem of the spec
   */
  @Transactional
  public Registration register(WorkflowSpec spec) {
    List<Problem> problems = DefinitionValidator.validate(spec);
    if (!problems.isEmpty()) {
      throw new DefinitionException(problems);
    }
    // what is stored is what is read back, so the spec goes through its canonical JSON
    return store(DefinitionParser.readStored(SpecJson.canonical(spec)));
  }

  private Registration store(WorkflowSpec spec) {
    String canonical = SpecJson.canonical(spec);
    definitions.lockName(spec.name());
    Optional<Definition> latest = definitions.latest(spec.name());
    if (latest.isPresent() && latest.get().sameSpec(canonical)) {
      return new Registration(latest.get(), false);
    }
    Definition definition = Definition.of(spec, latest.map(d -> d.version() + 1).orElse(1), clock);
    definitions.add(definition);
    if (registered != null) {
      registered.fire(new Registered(spec));
    }
    return new Registration(definition, true);
  }

  /**
   * Parses and validates a definition without registering it.
   *
   * @throws DefinitionException with every problem of the definition
   */
  public WorkflowSpec validate(String text, String format) {
    return DefinitionParser.parse(text, format);
  }

  /**
   * Version {@code version} of {@code name}, or its latest when {@code version} is null.
   *
   * @throws ApiException 404 when there is no such definition or version
   */
  @Transactional
  public Definition get(String name, Integer version) {
    return find(name, version)
        .orElseThrow(
            () ->
                version == null
                    ? ApiException.notFound("definition", name)
                    : ApiException.notFound("definition", name + " version " + version));
  }

  /** Version {@code version} of {@code name}, or its latest when {@code version} is null. */
  @Transactional
  public Optional<Definition> find(String name, Integer version) {
    return version == null ? definitions.latest(name) : definitions.find(name, version);
  }

  /**
   * The definition row {@code id} (the {@code definition_id} of runs).
   *
   * @throws ApiException 404 when there is none
   */
  @Transactional
  public Definition get(long id) {
    return definitions.find(id).orElseThrow(() -> ApiException.notFound("definition", "#" + id));
  }

  /**
   * Every version of {@code name}, oldest first.
   *
   * @throws ApiException 404 when the name has none
   */
  @Transactional
  public List<Definition> versions(String name) {
    List<Definition> versions = definitions.versions(name);
    if (versions.isEmpty()) {
      throw ApiException.notFound("definition", name);
    }
    return versions;
  }

  /** The latest version of each name, by name. */
  @Transactional
  public List<Definition> list(int offset, int limit) {
    return definitions.list(offset, limit);
  }

  /** How many names are registered. */
  @Transactional
  public long count() {
    return definitions.count();
  }

  /**
   * The parsed spec of the definition row {@code definitionId}, read once and kept.
   *
   * @throws ApiException 404 when there is no such row
   */
  @Transactional
  public WorkflowSpec spec(long definitionId) {
    WorkflowSpec spec = specs.get(definitionId);
    if (spec == null) {
      spec = get(definitionId).workflowSpec();
      if (specs.size() >= CACHED_SPECS) {
        specs.clear();
      }
      specs.put(definitionId, spec);
    }
    return spec;
  }

  /** The JSON Schema of the definition format (draft 2020-12). */
  public static JsonNode schema() {
    return Schema.INSTANCE;
  }

  private static final class Schema {
    static final JsonNode INSTANCE = load();

    private static JsonNode load() {
      try (InputStream in = DefinitionService.class.getResourceAsStream(SCHEMA_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the class path");
        }
        return new ObjectMapper().readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + SCHEMA_RESOURCE, e);
      }
    }
  }
}
