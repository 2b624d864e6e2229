package io.agentainer.flow.server.definition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps of a spec as a graph: a step comes after the steps of its {@code dependsOn}, and after
 * a branch that names it in {@code then} or {@code else}. Names that are missing or repeated take
 * the first step of that name; references to unknown steps are left out.
 */
final class StepGraph {

  private final List<StepSpec> steps;
  private final Map<String, StepSpec> byName = new LinkedHashMap<>();
  private final Map<String, Integer> position = new HashMap<>();

  StepGraph(List<StepSpec> steps) {
    this.steps = steps;
    for (int i = 0; i < steps.size(); i++) {
      String name = steps.get(i).name();
      if (name != null && !byName.containsKey(name)) {
        byName.put(name, steps.get(i));
        position.put(name, i);
      }
    }
  }

  boolean has(String name) {
    return byName.containsKey(name);
  }

  /** The step of this name, or null. */
  StepSpec get(String name) {
    return byName.get(name);
  }

  /** Where the step of this name is written (from 0). */
  int position(String name) {
    return position.get(name);
  }

  /** The steps that end before {@code name} starts: its dependencies, theirs, and so on. */
  Set<String> ancestors(String name) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(name);
    while (!todo.isEmpty()) {
      String current = todo.poll();
      StepSpec step = byName.get(current);
      if (step == null) {
        continue;
      }
      List<String> before = new ArrayList<>(step.dependsOn());
      for (StepSpec other : steps) {
        if (other.kind() == StepKind.BRANCH
            && other.name() != null
            && (other.then().contains(current) || other.otherwise().contains(current))) {
          before.add(other.name());
        }
      }
      for (String b : before) {
        if (seen.add(b)) {
          todo.add(b);
        }
      }
    }
    seen.remove(name);
    return seen;
  }

  /**
   * Each cycle of {@code dependsOn} once, as the names along it from the step written first, back
   * to that step ({@code [a, c, b, a]}: a depends on c, which depends on b, which depends on a). A
   * step depending on itself is left out.
   */
  List<List<String>> cycles() {
    Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
    Set<Set<String>> found = new HashSet<>();
    List<List<String>> cycles = new ArrayList<>();
    for (String start : byName.keySet()) {
      if (!state.containsKey(start)) {
        visit(start, new ArrayList<>(), state, found, cycles);
      }
    }
    return cycles;
  }

  private void visit(
      String name,
      List<String> trail,
      Map<String, Integer> state,
      Set<Set<String>> found,
      List<List<String>> cycles) {
    state.put(name, 1);
    trail.add(name);
    for (String next : byName.get(name).dependsOn()) {
      if (next.equals(name) || !byName.containsKey(next)) {
        continue;
      }
      Integer s = state.get(next);
      if (s == null) {
        visit(next, trail, state, found, cycles);
      } else if (s == 1) {
        List<String> cycle = new ArrayList<>(trail.subList(trail.indexOf(next), trail.size()));
        if (found.add(Set.copyOf(cycle))) {
          cycles.add(fromFirstWritten(cycle));
        }
      }
    }
    trail.remove(trail.size() - 1);
    state.put(name, 2);
  }

  private List<String> fromFirstWritten(List<String> cycle) {
    int first = 0;
    for (int i = 1; i < cycle.size(); i++) {
      if (position.get(cycle.get(i)) < position.get(cycle.get(first))) {
        first = i;
      }
    }
    List<String> named = new ArrayList<>(cycle.subList(first, cycle.size()));
    named.addAll(cycle.subList(0, first));
    named.add(named.get(0));
    return named;
  }
}
