package io.agentainer.flow.server.definition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Problems found so far, at most one per path: the first one found there is the one reported. */
final class Problems {

  private final List<Problem> list = new ArrayList<>();
  private final Set<String> paths = new HashSet<>();

  void add(String path, String message) {
    if (paths.add(path)) {
      list.add(new Problem(path, message));
    }
  }

  /** Whether a problem was found at exactly {@code path}. */
  boolean has(String path) {
    return paths.contains(path);
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  List<Problem> list() {
    return List.copyOf(list);
  }

  /** Throws them all when there are any. */
  void throwIfAny() {
    if (!list.isEmpty()) {
      throw new DefinitionException(list);
    }
  }
}
