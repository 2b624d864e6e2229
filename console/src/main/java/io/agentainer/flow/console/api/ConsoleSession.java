package io.agentainer.flow.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.vaadin.cdi.annotation.VaadinSessionScoped;
import io.agentainer.flow.sdk.client.Definition;
import io.agentainer.flow.sdk.client.DefinitionRef;
import io.agentainer.flow.sdk.client.DefinitionSummary;
import io.agentainer.flow.sdk.client.FlowClient;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.FlowEvent;
import io.agentainer.flow.sdk.client.Job;
import io.agentainer.flow.sdk.client.JobFilter;
import io.agentainer.flow.sdk.client.Page;
import io.agentainer.flow.sdk.client.Pool;
import io.agentainer.flow.sdk.client.Problem;
import io.agentainer.flow.sdk.client.Run;
import io.agentainer.flow.sdk.client.RunRef;
import io.agentainer.flow.sdk.client.RunStats;
import io.agentainer.flow.sdk.client.StateChange;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The signed-in operator of one browser session: an SDK client with the token they signed in with.
 * The token stays on the server side of the console (in this session); the browser never receives
 * it.
 *
 * <p>Scoped to the Vaadin session rather than the HTTP one: pages that redraw on server push call
 * it from {@code UI.access} on a background thread, where Vaadin's session is current but no HTTP
 * request (and so no CDI session context) is active.
 */
@VaadinSessionScoped
public class ConsoleSession implements Serializable {

  private static final long serialVersionUID = 1L;

  private transient FlowClient client;

  /** What a sign-in attempt came to. */
  public enum SignIn {
    SIGNED_IN,
    REFUSED,
    UNREACHABLE
  }

  /**
   * Signs in with {@code token} if the server accepts it (an authenticated call answers).
   *
   * @return {@link SignIn#REFUSED} for a token the server refuses (401, 403), {@link
   *     SignIn#UNREACHABLE} when the API does not answer
   */
  public SignIn signIn(String token) {
    if (token == null || token.isBlank()) {
      return SignIn.REFUSED;
    }
    ApiSettings settings = ApiSettings.fromConfig();
    FlowClient candidate =
        FlowClient.builder()
            .baseUrl(settings.api().toString())
            .token(token.trim())
            .timeout(settings.timeout())
            .build();
    try {
      candidate.pools(0, 1);
    } catch (FlowClientException e) {
      if (e.status() == 401 || e.status() == 403) {
        return SignIn.REFUSED;
      }
      return SignIn.UNREACHABLE;
    }
    client = candidate;
    return SignIn.SIGNED_IN;
  }

  /** Whether an operator is signed in. */
  public boolean signedIn() {
    return client != null;
  }

  /** The pools, a page of them. */
  public Page<Pool> pools(int page, int size) {
    return client().pools(page, size);
  }

  /** Warms a pool to its warm size. */
  public void warmPool(String id) {
    client().warmPool(id, null);
  }

  /** Retires every agent of a pool. */
  public void drainPool(String id) {
    client().drainPool(id);
  }

  /** Jobs matching {@code filter}. */
  public Page<Job> jobs(JobFilter filter) {
    return client().jobs(filter);
  }

  /** Runs of a definition (null: all) in these statuses (empty: all), newest first. */
  public Page<Run> runs(String definition, Set<String> statuses, int page, int size) {
    return client().runs(definition, statuses, page, size);
  }

  /** {@link #runs(String, Set, int, int)} created in {@code [from, to)} (null: open end). */
  public Page<Run> runs(
      String definition, Set<String> statuses, Instant from, Instant to, int page, int size) {
    return client().runs(definition, statuses, from, to, page, size);
  }

  /** Runs started and finished per bucket, by definition, and the latest failures. */
  public RunStats runStats(Instant from, Instant to, int buckets) {
    return client().runStats(from, to, buckets);
  }

  /** The definitions, a page of them, by name. */
  public Page<DefinitionSummary> definitions(int page, int size) {
    return client().definitions(page, size);
  }

  /** What is wrong with a definition's text (YAML or JSON); empty when it is valid. */
  public List<Problem> validate(String text) {
    return client().validateDefinition(text, null);
  }

  /** Registers a definition's text as its next version. */
  public DefinitionRef register(String text) {
    return client().applyDefinition(text, null);
  }

  /** Starts a run of {@code definition} on {@code input} (JSON). */
  public RunRef start(String definition, JsonNode input) {
    return client().startRun(definition, input, null);
  }

  /** The latest version of a definition, with its spec. */
  public Definition definition(String name) {
    return client().definition(name);
  }

  /** A definition's versions (up to 500) without their specs, oldest first. */
  public List<Definition> definitionVersions(String name) {
    return client().definitionVersions(name, 0, 500).items();
  }

  /** A definition's version, with its spec. */
  public Definition definition(String name, int version) {
    return client().definition(name, version);
  }

  /** A run's jobs, up to 500 (the API's page), ordered by step then task. */
  public List<Job> runJobs(String runId) {
    return client().workflowJobs(runId, Set.of(), 0, 500).items();
  }

  /** A run's state: every key with its value. */
  public Map<String, JsonNode> state(String runId) {
    return client().state(runId);
  }

  /** The changes of one state key, newest first, up to 100. */
  public List<StateChange> stateHistory(String runId, String key) {
    return client().stateHistory(runId, key, null, null, 0, 100).items();
  }

  /** One job, with its input, output and error. */
  public Job job(String id) {
    return client().job(id);
  }

  /** A job's logs (what its agent wrote). */
  public String jobLogs(String id) {
    return client().jobLogs(id);
  }

  /**
   * Follows a run's events as the server records them (its event stream, resumed after a dropped
   * connection); {@code onEvent} is called on the stream's thread. Close it to stop.
   */
  public AutoCloseable follow(String runId, Consumer<FlowEvent> onEvent) {
    return client().streamEvents(runId, Set.of(), 0, onEvent);
  }

  /**
   * Follows every run's events of {@code types} (all when empty) from now on; {@code onEvent} is
   * called on the stream's thread. Close it to stop.
   */
  public AutoCloseable followAll(Set<String> types, Consumer<FlowEvent> onEvent) {
    return client().streamAllEvents(types, 0, onEvent, null);
  }

  /** One run with its steps. */
  public Run run(String id) {
    return client().run(id);
  }

  /** Cancels a run. */
  public RunRef cancelRun(String id) {
    return client().cancelRun(id);
  }

  /** Runs a run's failed steps again. */
  public RunRef retryRun(String id) {
    return client().retryRun(id);
  }

  private FlowClient client() {
    return Optional.ofNullable(client)
        .orElseThrow(() -> new IllegalStateException("nobody is signed in"));
  }

  /** Forgets the token. */
  public void signOut() {
    client = null;
  }
}
