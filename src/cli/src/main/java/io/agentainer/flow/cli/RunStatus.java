package io.agentainer.flow.cli;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The run statuses {@code workflow list --status} accepts (case-insensitive), as the API names
 * them; an enum so picocli refuses a misspelt status, naming the option, before any call.
 */
enum RunStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  TIMED_OUT;

  /** The names to send, in the order given, without repeats. */
  static Set<String> names(Collection<RunStatus> statuses) {
    Set<String> names = new LinkedHashSet<>();
    statuses.forEach(status -> names.add(status.name()));
    return names;
  }
}
