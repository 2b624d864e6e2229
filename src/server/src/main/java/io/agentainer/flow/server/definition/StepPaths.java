package io.agentainer.flow.server.definition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How problems name a step: {@code steps[count]} by its name when that name is valid and unique,
 * else {@code steps[2]} by its position (from 0).
 */
final class StepPaths {

  private StepPaths() {}

  static List<String> of(List<String> names) {
    Map<String, Integer> seen = new HashMap<>();
    for (String name : names) {
      if (name != null) {
        seen.merge(name, 1, Integer::sum);
      }
    }
    List<String> paths = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      boolean byName =
          name != null
              && DefinitionValidator.STEP_NAME.matcher(name).matches()
              && seen.get(name) == 1;
      paths.add("steps[" + (byName ? name : String.valueOf(i)) + "]");
    }
    return paths;
  }
}
