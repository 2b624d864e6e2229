package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /api/jobs}: one task on an agent started by hand, outside any workflow.
 * Values left {@code null} are not sent, so the server's defaults apply ({@code cold} execution,
 * the runtime the server picks, no time limit but its own).
 *
 * <pre>{@code
 * JobRequest request = JobRequest.builder("agentainer/example-agent:latest")
 *     .handler("echo")
 *     .input(Map.of("text", "hello"))
 *     .executionMode("pooled")
 *     .timeout(Duration.ofMinutes(1))
 *     .build();
 * }</pre>
 *
 * @param executionMode {@code cold} (an agent per job) or {@code pooled} (a warm agent from a pool)
 * @param timeout the job's time limit, sent as ISO-8601 ({@code PT1M})
 * @param stepId only for a child job started from inside a step with the run's token: its name
 *     within the parent's step
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
    Agent agent, JsonNode input, String executionMode, Duration timeout, String stepId) {

  private static final ObjectMapper VALUES =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

  public JobRequest {
    Objects.requireNonNull(agent, "agent");
  }

  /** A request for an agent of {@code image}, e.g. {@code agentainer/example-agent:latest}. */
  public static Builder builder(String image) {
    return new Builder(image);
  }

  /**
   * The agent to run the job on.
   *
   * @param handler which of the agent's handlers runs the task (e.g. {@code echo})
   * @param runtime {@code docker} or {@code process}
   * @param env environment variables for a cold agent
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Agent(
      String image,
      String handler,
      String runtime,
      Map<String, String> env,
      Double cpus,
      Integer memoryMb) {

    public Agent {
      if (image == null || image.isBlank()) {
        throw new IllegalArgumentException("agent.image is required");
      }
      env = env == null ? null : Map.copyOf(env);
    }
  }

  /** Options of a {@link JobRequest}; only the image is required. Not thread safe. */
  public static final class Builder {
    private final String image;
    private String handler;
    private String runtime;
    private Map<String, String> env;
    private Double cpus;
    private Integer memoryMb;
    private JsonNode input;
    private String executionMode;
    private Duration timeout;
    private String stepId;

    private Builder(String image) {
      this.image = image;
    }

    public Builder handler(String handler) {
      this.handler = handler;
      return this;
    }

    /** {@code docker} or {@code process}; by default the server picks. */
    public Builder runtime(String runtime) {
      this.runtime = runtime;
      return this;
    }

    /** Adds one environment variable of the agent. */
    public Builder env(String name, String value) {
      Objects.requireNonNull(name, "env name");
      Objects.requireNonNull(value, "env value");
      if (env == null) {
        env = new LinkedHashMap<>();
      }
      env.put(name, value);
      return this;
    }

    /** Adds environment variables of the agent. */
    public Builder env(Map<String, String> variables) {
      variables.forEach(this::env);
      return this;
    }

    public Builder cpus(double cpus) {
      this.cpus = cpus;
      return this;
    }

    public Builder memoryMb(int memoryMb) {
      this.memoryMb = memoryMb;
      return this;
    }

    /** The task input as JSON. */
    public Builder input(JsonNode input) {
      this.input = input == null ? NullNode.getInstance() : input;
      return this;
    }

    /**
     * The task input: any value Jackson writes as JSON (maps, lists, records, strings, numbers).
     *
     * @throws IllegalArgumentException when the value cannot be written as JSON
     */
    public Builder input(Object input) {
      if (input instanceof JsonNode node) {
        return input(node);
      }
      this.input = VALUES.valueToTree(input);
      if (this.input == null) {
        this.input = NullNode.getInstance();
      }
      return this;
    }

    /** {@code cold} (the default) or {@code pooled}. */
    public Builder executionMode(String executionMode) {
      this.executionMode = executionMode;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Names a child job within its parent's step; for jobs started from inside a step with the
     * run's token. Jobs started by hand leave it out.
     */
    public Builder stepId(String stepId) {
      this.stepId = stepId;
      return this;
    }

    /**
     * @throws IllegalArgumentException when the image is blank
     */
    public JobRequest build() {
      return new JobRequest(
          new Agent(image, handler, runtime, env, cpus, memoryMb),
          input,
          executionMode,
          timeout,
          stepId);
    }
  }
}
