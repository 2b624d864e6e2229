package io.agentainer.flow.server.node;

import java.util.List;
import java.util.Optional;

/** Where server nodes are kept. */
public interface NodeRepository {

  void add(Node node);

  Optional<Node> find(String id);

  /** All nodes, the most recently started first. */
  List<Node> list(int offset, int limit);

  long count();
}
