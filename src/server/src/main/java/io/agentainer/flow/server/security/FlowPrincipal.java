package io.agentainer.flow.server.security;

import io.agentainer.flow.server.job.JobTokens;
import java.security.Principal;
import java.util.UUID;

/** Who calls: the admin, or an agent holding a job's run-scoped token. */
public record FlowPrincipal(boolean admin, JobTokens.Grant grant) implements Principal {

  public static final FlowPrincipal ADMIN = new FlowPrincipal(true, null);

  public static FlowPrincipal agent(JobTokens.Grant grant) {
    return new FlowPrincipal(false, grant);
  }

  @Override
  public String getName() {
    return admin ? "admin" : "job:" + grant.jobId();
  }

  /** Whether this caller may see or act on the run {@code workflowId}. */
  public boolean mayAccessRun(UUID workflowId) {
    return admin || grant.coversRun(workflowId);
  }
}
