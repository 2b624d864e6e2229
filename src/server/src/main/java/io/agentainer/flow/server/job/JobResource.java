package io.agentainer.flow.server.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.server.agent.AgentRuntimes;
import io.agentainer.flow.server.api.ApiException;
import io.agentainer.flow.server.api.Page;
import io.agentainer.flow.server.api.PageRequest;
import io.agentainer.flow.server.api.StatusParameter;
import io.agentainer.flow.server.common.JsonText;
import io.agentainer.flow.server.config.Durations;
import io.agentainer.flow.server.security.FlowPrincipal;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code /api/jobs}: submit a job (a plain agent job, or a child job when an agent calls with its
 * run-scoped token), read it, list jobs, cancel, read its agent's logs.
 */
@Path("jobs")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
public class JobResource {

  private static final Pattern IMAGE =
      Pattern.compile("[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?(@sha256:[a-f0-9]{64})?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject JobService jobs;
  @Inject JobWaiters waiters;

  @Resource ManagedExecutorService executor;
  @Inject AgentRuntimes runtimes;
  @Inject io.agentainer.flow.server.pool.PoolManager pools;
  @Context SecurityContext security;
  @Context UriInfo uri;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response submit(SubmitJobRequest request) {
    JobSpec spec = spec(request, caller());
    Job job = jobs.submit(spec);
    ObjectNode body =
        JSON.createObjectNode().put("id", job.id().toString()).put("status", job.status().name());
    return Response.accepted(body)
        .location(uri.getBaseUriBuilder().path("jobs").path(job.id().toString()).build())
        .build();
  }

  @GET
  public Page<JobView> list(
      @QueryParam("workflowId") String workflowId,
      @QueryParam("status") List<String> status,
      @BeanParam PageRequest page) {
    page.validate();
    if (!caller().admin()) {
      throw new ApiException(
          403, "forbidden", "Authorization: an agent's token cannot list jobs", Map.of());
    }
    UUID workflow =
        workflowId == null || workflowId.isBlank() ? null : uuid("workflowId", workflowId);
    Set<JobStatus> statuses = statuses(status);
    return new Page<>(
        jobs.list(workflow, statuses, page.offset(), page.size()).stream()
            .map(JobView::of)
            .toList(),
        jobs.count(workflow, statuses),
        page.page(),
        page.size());
  }

  /** The longest {@code wait} a client may ask for. */
  static final Duration LONGEST_WAIT = Duration.ofSeconds(60);

  /**
   * A job; with {@code wait} (e.g. {@code PT30S}, at most a minute), answers when the job has ended
   * or the wait is over, whichever comes first.
   */
  @GET
  @Path("{id}")
  public void get(
      @PathParam("id") String id,
      @QueryParam("wait") String wait,
      @Suspended AsyncResponse response) {
    Job job = visible(id);
    Duration limit = waitLimit(wait);
    if (limit.isZero() || job.status().isFinal()) {
      response.resume(JobView.of(job));
      return;
    }
    UUID jobId = job.id();
    CompletableFuture<Void> ended = waiters.onEnd(jobId);
    // the job may have ended between the read and the registration
    if (jobs.get(jobId).status().isFinal()) {
      ended.complete(null);
    }
    ended
        .completeOnTimeout(null, limit.toMillis(), TimeUnit.MILLISECONDS)
        .thenRunAsync(
            () -> {
              try {
                response.resume(JobView.of(jobs.get(jobId)));
              } catch (RuntimeException e) {
                response.resume(e);
              }
            },
            executor); // a managed thread: the transaction and naming context are there
  }

  static Duration waitLimit(String wait) {
    if (wait == null || wait.isBlank()) {
      return Duration.ZERO;
    }
    Duration limit;
    try {
      limit = Durations.parse("wait", wait);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("wait", e.getMessage().substring("wait: ".length()));
    }
    if (limit.compareTo(LONGEST_WAIT) > 0) {
      throw ApiException.badRequest(
          "wait", "at most " + LONGEST_WAIT.toSeconds() + " s, got " + wait);
    }
    return limit;
  }

  @POST
  @Path("{id}/cancel")
  public Response cancel(@PathParam("id") String id) {
    Job job = visible(id);
    return Response.accepted(
            JobView.of(jobs.cancel(job.id(), "cancelled by " + caller().getName())))
        .build();
  }

  @GET
  @Path("{id}/logs")
  @Produces(MediaType.TEXT_PLAIN)
  public String logs(@PathParam("id") String id) {
    String logs = visible(id).logs();
    return logs == null ? "" : logs;
  }

  /** The progress a job saved; a retried attempt also gets it in its task request. */
  @GET
  @Path("{id}/checkpoint")
  public ObjectNode checkpoint(@PathParam("id") String id) {
    Job job = visible(id);
    ObjectNode answer = JSON.createObjectNode();
    if (job.checkpoint() == null) {
      answer.putNull("value");
    } else {
      answer.set("value", JsonText.tree(job.checkpoint()));
    }
    return answer;
  }

  /** Saves a running job's progress; a job's token may save only its own. */
  @PUT
  @Path("{id}/checkpoint")
  @Consumes(MediaType.APPLICATION_JSON)
  public Map<String, Object> saveCheckpoint(
      @PathParam("id") String id, com.fasterxml.jackson.databind.JsonNode body) {
    Job job = visible(id);
    FlowPrincipal caller = caller();
    if (!caller.admin() && !caller.grant().jobId().equals(job.id())) {
      throw new ApiException(
          403,
          "forbidden",
          "Authorization: a job's token saves the checkpoint of its own job only",
          Map.of());
    }
    if (body == null || !body.isObject() || !body.has("value")) {
      throw ApiException.badRequest("value", "required: {\"value\": ...}");
    }
    jobs.saveCheckpoint(job.id(), body.get("value").toString());
    Map<String, Object> answer = new java.util.LinkedHashMap<>();
    answer.put("value", body.get("value"));
    return answer;
  }

  private Job visible(String id) {
    Job job = jobs.get(uuid("id", id));
    FlowPrincipal caller = caller();
    if (!caller.admin() && !inScope(job, caller.grant())) {
      // as if it did not exist: an agent learns nothing of other runs
      throw ApiException.notFound("job", id);
    }
    return job;
  }

  static boolean inScope(Job job, JobTokens.Grant grant) {
    if (grant.workflowId() != null) {
      return grant.workflowId().equals(job.workflowId());
    }
    UUID scope = grant.scopeJobId();
    return job.workflowId() == null
        && (scope.equals(job.id())
            || scope.equals(job.parentJobId())
            || grant.jobId().equals(job.parentJobId()));
  }

  private FlowPrincipal caller() {
    return security.getUserPrincipal() instanceof FlowPrincipal p ? p : FlowPrincipal.ADMIN;
  }

  JobSpec spec(SubmitJobRequest request, FlowPrincipal caller) {
    if (request == null) {
      throw ApiException.badRequest("body", "a JSON object with agent and input is required");
    }
    SubmitJobRequest.AgentRequest agent = request.agent();
    if (agent == null) {
      throw ApiException.badRequest("agent", "required: {image, handler}");
    }
    if (agent.image() == null || agent.image().isBlank()) {
      throw ApiException.badRequest(
          "agent.image", "required, e.g. agentainer/example-agent:latest");
    }
    if (!IMAGE.matcher(agent.image()).matches()) {
      throw ApiException.badRequest("agent.image", "not an image name: '" + agent.image() + "'");
    }
    if (agent.handler() != null && !NAME.matcher(agent.handler()).matches()) {
      throw ApiException.badRequest("agent.handler", "letters, digits, . _ - only, at most 64");
    }
    String runtime = agent.runtime() == null ? null : agent.runtime().toLowerCase(Locale.ROOT);
    if (runtime != null
        && !runtime.equals(AgentRuntimes.AUTO)
        && runtimes.find(runtime).isEmpty()) {
      throw ApiException.badRequest(
          "agent.runtime",
          "expected one of " + runtimes.names() + " or auto, got '" + agent.runtime() + "'");
    }
    if (agent.cpus() != null && (agent.cpus() <= 0 || agent.cpus() > 64)) {
      throw ApiException.badRequest("agent.cpus", "must be more than 0 and at most 64");
    }
    if (agent.memoryMb() != null && (agent.memoryMb() < 16 || agent.memoryMb() > 1_048_576)) {
      throw ApiException.badRequest("agent.memoryMb", "must be between 16 and 1048576");
    }
    if (agent.env() != null) {
      agent
          .env()
          .keySet()
          .forEach(
              key -> {
                if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                  throw ApiException.badRequest("agent.env", "not a variable name: '" + key + "'");
                }
                if (key.startsWith("FLOW_") || key.equals("TRACEPARENT")) {
                  throw ApiException.badRequest("agent.env", key + " is set by the server");
                }
              });
    }
    ExecutionMode mode;
    try {
      mode =
          request.executionMode() == null
              ? ExecutionMode.COLD
              : ExecutionMode.fromWire(request.executionMode());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "executionMode", "must be cold or pooled, got '" + request.executionMode() + "'");
    }
    Duration timeout = null;
    if (request.timeout() != null) {
      try {
        timeout = Durations.parse("timeout", request.timeout());
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("timeout", e.getMessage().substring("timeout: ".length()));
      }
      if (timeout.isZero()) {
        throw ApiException.badRequest("timeout", "must be more than zero");
      }
    }
    String resolvedRuntime = runtimes.choose(runtime).name();
    ObjectNode config = JSON.createObjectNode();
    if (agent.env() != null) {
      config.set("env", JSON.valueToTree(agent.env()));
    }
    if (agent.cpus() != null) {
      config.put("cpus", agent.cpus());
    }
    if (agent.memoryMb() != null) {
      config.put("memoryMb", agent.memoryMb());
    }
    String input = request.input() == null ? null : request.input().toString();

    UUID workflowId = null;
    UUID parentJobId = null;
    String stepId = null;
    if (!caller.admin()) {
      JobTokens.Grant grant = caller.grant();
      parentJobId = grant.jobId();
      workflowId = grant.workflowId();
      if (workflowId != null) {
        Job parent = jobs.get(parentJobId);
        String child =
            request.stepId() != null
                ? request.stepId()
                : (agent.handler() != null ? agent.handler() : "child");
        if (!NAME.matcher(child).matches()) {
          throw ApiException.badRequest("stepId", "letters, digits, . _ - only, at most 64");
        }
        stepId = (parent.stepId() == null ? "job" : parent.stepId()) + "/" + child;
      }
    } else if (request.stepId() != null) {
      throw ApiException.badRequest(
          "stepId", "only a job inside a workflow starts steps; leave it out");
    }
    UUID poolId =
        mode == ExecutionMode.POOLED
            ? pools
                .declare(
                    io.agentainer.flow.server.pool.PoolKey.adhoc(
                        resolvedRuntime,
                        agent.image(),
                        agent.env(),
                        agent.cpus(),
                        agent.memoryMb()),
                    io.agentainer.flow.server.definition.PoolSpec.DEFAULTS,
                    false)
                .id()
            : null;
    return new JobSpec(
        null,
        workflowId,
        stepId,
        null,
        parentJobId,
        agent.image(),
        agent.handler(),
        resolvedRuntime,
        config.isEmpty() ? null : config.toString(),
        input,
        null,
        mode,
        timeout,
        1,
        0,
        poolId);
  }

  static Set<JobStatus> statuses(List<String> values) {
    return StatusParameter.parse(JobStatus.class, values);
  }

  static UUID uuid(String field, String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(field, "not a job id (a UUID): '" + value + "'");
    }
  }
}
