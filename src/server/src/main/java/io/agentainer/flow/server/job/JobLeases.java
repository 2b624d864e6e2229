package io.agentainer.flow.server.job;

import io.agentainer.flow.server.config.FlowSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;

/** Keeps this node's leases on its running jobs alive. */
@ApplicationScoped
public class JobLeases {

  @Inject JobRepository jobs;
  @Inject FlowSettings settings;
  @Inject Clock clock;
  @Inject JobRunner runner;

  /** Renews the leases of the jobs this node's runner is working on now, and only those. */
  @Transactional
  public int renew(String nodeId) {
    return jobs.renewLeases(
        nodeId, runner.runningJobs(), clock.instant().plus(settings.jobLease()));
  }
}
