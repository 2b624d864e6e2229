package io.agentainer.flow.server.state;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys of this node that took shared changes (increments, appends) since their last checkpoint.
 * Losing this set (a crash) loses nothing: the rows stay after the checkpoint and are folded on
 * every read, and the key is marked again by its next change.
 */
@ApplicationScoped
public class DirtyKeys {

  /** A key of a run. */
  public record RunKey(UUID run, String key) {}

  private final Set<RunKey> keys = ConcurrentHashMap.newKeySet();

  public void mark(UUID run, String key) {
    keys.add(new RunKey(run, key));
  }

  /** The marked keys, unmarked. */
  public List<RunKey> drain() {
    List<RunKey> drained = List.copyOf(keys);
    drained.forEach(keys::remove);
    return drained;
  }
}
