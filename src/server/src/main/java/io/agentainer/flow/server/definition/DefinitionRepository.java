package io.agentainer.flow.server.definition;

import java.util.List;
import java.util.Optional;

/** Where definitions are kept. The caller owns the transaction. */
public interface DefinitionRepository {

  void add(Definition definition);

  Optional<Definition> find(long id);

  Optional<Definition> find(String name, int version);

  /** The highest version of {@code name}. */
  Optional<Definition> latest(String name);

  /** Every version of {@code name}, oldest first; empty when there is none. */
  List<Definition> versions(String name);

  /** The latest version of each name, ordered by name. */
  List<Definition> list(int offset, int limit);

  /** How many names there are. */
  long count();

  /**
   * Holds, until the transaction ends, a lock that registrations of {@code name} take in turn, so
   * two of them cannot pick the same next version. Taken before reading the latest version.
   */
  void lockName(String name);
}
