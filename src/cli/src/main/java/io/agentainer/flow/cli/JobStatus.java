package io.agentainer.flow.cli;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The statuses {@code --status} accepts (case-insensitive), as the API names them. Kept as an enum
 * here so picocli refuses a misspelt status, naming the option, before any call.
 */
enum JobStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** The names to send, in the order given, without repeats. */
  static Set<String> names(Collection<JobStatus> statuses) {
    Set<String> names = new LinkedHashSet<>();
    statuses.forEach(status -> names.add(status.name()));
    return names;
  }
}
