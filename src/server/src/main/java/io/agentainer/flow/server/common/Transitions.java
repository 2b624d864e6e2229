package io.agentainer.flow.server.common;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The table of allowed moves between the statuses of one enum, checked in one place. Entities
 * change status only through {@link #check}, which throws on a move the table does not allow.
 *
 * @param <S> the status enum
 */
public final class Transitions<S extends Enum<S>> {

  private final Class<S> type;
  private final Map<S, Set<S>> allowed;

  private Transitions(Class<S> type, Map<S, Set<S>> allowed) {
    this.type = type;
    this.allowed = allowed;
  }

  public static <S extends Enum<S>> Builder<S> of(Class<S> type) {
    return new Builder<>(type);
  }

  /** Whether {@code from -> to} is allowed. */
  public boolean allows(S from, S to) {
    return allowed.getOrDefault(from, Set.of()).contains(to);
  }

  /** The statuses reachable from {@code from} in one move. */
  public Set<S> from(S from) {
    return Collections.unmodifiableSet(allowed.getOrDefault(from, EnumSet.noneOf(type)));
  }

  /** Statuses with no way out. */
  public boolean isFinal(S status) {
    return from(status).isEmpty();
  }

  /**
   * Returns {@code to} when the move is allowed.
   *
   * @throws IllegalTransitionException when it is not
   */
  public S check(S from, S to) {
    if (!allows(from, to)) {
      throw new IllegalTransitionException(type.getSimpleName(), from.name(), to.name());
    }
    return to;
  }

  /** Builds a table: {@code Transitions.of(S.class).allow(A, B, C).allow(B, C).build()}. */
  public static final class Builder<S extends Enum<S>> {
    private final Class<S> type;
    private final Map<S, Set<S>> allowed;

    private Builder(Class<S> type) {
      this.type = type;
      this.allowed = new EnumMap<>(type);
    }

    /** Allows moves from {@code from} to each of {@code to}. */
    @SafeVarargs
    public final Builder<S> allow(S from, S... to) {
      Set<S> targets = allowed.computeIfAbsent(from, k -> EnumSet.noneOf(type));
      Collections.addAll(targets, to);
      return this;
    }

    public Transitions<S> build() {
      Map<S, Set<S>> copy = new EnumMap<>(type);
      allowed.forEach((k, v) -> copy.put(k, EnumSet.copyOf(v)));
      return new Transitions<>(type, copy);
    }
  }
}
