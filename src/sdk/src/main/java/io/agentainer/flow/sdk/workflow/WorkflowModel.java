package io.agentainer.flow.sdk.workflow;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A workflow class read and checked: its name, settings and steps in declaration order. Every
 * structural mistake throws a {@link WorkflowDefinitionException} naming the method at fault.
 */
final class WorkflowModel {

  static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");
  static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  static final Pattern HANDLER = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern RESULTS_REF = Pattern.compile("results\\.([A-Za-z0-9_-]+)");
  private static final int DEFAULT_POOL_SIZE = 5;
  private static final Map<Class<?>, WorkflowModel> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  final Class<?> type;
  final String name;
  final String description;
  final Duration timeout;
  final int maxParallel;
  final Class<?> input;
  final Map<String, StepModel> steps;

  private WorkflowModel(
      Class<?> type,
      String name,
      String description,
      Duration timeout,
      int maxParallel,
      Class<?> input,
      Map<String, StepModel> steps) {
    this.type = type;
    this.name = name;
    this.description = description;
    this.timeout = timeout;
    this.maxParallel = maxParallel;
    this.input = input;
    this.steps = steps;
  }

  /** The model of {@code type}, with {@code image} for steps that name none. */
  static WorkflowModel of(Class<?> type, String image) {
    if (image == null || image.isBlank()) {
      return CACHE.computeIfAbsent(type, t -> read(t, null));
    }
    return read(type, image);
  }

  private static WorkflowModel read(Class<?> type, String defaultImage) {
    Workflow workflow = type.getAnnotation(Workflow.class);
    String where = type.getSimpleName();
    if (workflow == null) {
      throw new WorkflowDefinitionException(where + ": a workflow class needs @Workflow");
    }
    if (!NAME.matcher(workflow.name()).matches()) {
      throw new WorkflowDefinitionException(
          where
              + ": @Workflow name '"
              + workflow.name()
              + "' must be 1 to 64 of a-z, 0-9, _ and -");
    }
    Duration timeout = duration(workflow.timeout(), where, "@Workflow timeout");
    if (workflow.maxParallel() < 0) {
      throw new WorkflowDefinitionException(where + ": @Workflow maxParallel must be positive");
    }
    if (workflow.input() != Void.class && !workflow.input().isRecord()) {
      throw new WorkflowDefinitionException(
          where + ": @Workflow input must be a record, got " + workflow.input().getSimpleName());
    }
    String image = workflow.image().isBlank() ? defaultImage : workflow.image();

    Map<String, StepModel> steps = new LinkedHashMap<>();
    Map<String, String> declaredBy = new HashMap<>();
    List<Class<?>> owners = new ArrayList<>();
    owners.add(type);
    owners.addAll(List.of(workflow.uses()));
    for (Class<?> owner : owners) {
      for (Method method : stepMethods(owner)) {
        StepModel step = step(workflow, owner, method, image);
        String earlier = declaredBy.putIfAbsent(step.name(), where(method));
        if (earlier != null) {
          throw new WorkflowDefinitionException(
              where(method) + ": step name '" + step.name() + "' is taken by " + earlier);
        }
        steps.put(step.name(), step);
      }
    }
    MapReduce mapReduce = type.getAnnotation(MapReduce.class);
    if (mapReduce != null) {
      for (StepModel step : mapReduceSteps(type, mapReduce, image)) {
        String earlier = declaredBy.putIfAbsent(step.name(), where(step.method()));
        if (earlier != null) {
          throw new WorkflowDefinitionException(
              where + ": @MapReduce step '" + step.name() + "' is taken by " + earlier);
        }
        steps.put(step.name(), step);
      }
    }
    if (steps.isEmpty()) {
      throw new WorkflowDefinitionException(where + ": a workflow needs at least one @Step method");
    }
    WorkflowModel model =
        new WorkflowModel(
            type,
            workflow.name(),
            workflow.description(),
            timeout,
            workflow.maxParallel(),
            workflow.input(),
            steps);
    model.check();
    return model;
  }

  /** The {@link Step} methods of {@code owner} and its superclasses, superclass steps first. */
  private static List<Method> stepMethods(Class<?> owner) {
    Deque<Class<?>> chain = new ArrayDeque<>();
    for (Class<?> c = owner; c != null && c != Object.class; c = c.getSuperclass()) {
      chain.push(c);
    }
    Map<String, Method> bySignature = new LinkedHashMap<>();
    for (Class<?> c : chain) {
      Method[] declared = c.getDeclaredMethods();
      java.util.Arrays.sort(declared, java.util.Comparator.comparing(WorkflowModel::order));
      for (Method m : declared) {
        if (m.isSynthetic() || m.isBridge()) {
          continue;
        }
        String signature = m.getName() + java.util.Arrays.toString(m.getParameterTypes());
        if (m.isAnnotationPresent(Step.class)) {
          bySignature.put(signature, m);
        }
        // an override without @Step keeps the step: calls dispatch to the subclass's code
      }
    }
    return new ArrayList<>(bySignature.values());
  }

  /**
   * Methods in source order as far as reflection can tell: the JDK gives no order, so steps are
   * ordered by name within a class. Order only affects how definitions read, never what runs.
   */
  private static String order(Method m) {
    return m.getName();
  }

  private static StepModel step(Workflow workflow, Class<?> owner, Method method, String image) {
    Step s = method.getAnnotation(Step.class);
    String where = where(method);
    String name = s.name().isBlank() ? method.getName() : s.name();
    if (!STEP_NAME.matcher(name).matches()) {
      throw new WorkflowDefinitionException(
          where + ": step name '" + name + "' must be 1 to 64 of A-Z, a-z, 0-9, _ and -");
    }
    if (Modifier.isStatic(method.getModifiers())) {
      throw new WorkflowDefinitionException(where + ": a step method must not be static");
    }
    boolean isChild = s.workflow() != Void.class;
    int kinds =
        (s.parallel() != 0 ? 1 : 0)
            + (!s.map().isBlank() ? 1 : 0)
            + (s.reduce() ? 1 : 0)
            + (isChild ? 1 : 0);
    if (kinds > 1) {
      throw new WorkflowDefinitionException(
          where + ": choose one of parallel, map, reduce and workflow");
    }
    if (s.parallel() < 0) {
      throw new WorkflowDefinitionException(
          where + ": parallel must be a positive count, got " + s.parallel());
    }
    StepModel.Kind kind =
        s.parallel() > 0
            ? StepModel.Kind.PARALLEL
            : !s.map().isBlank()
                ? StepModel.Kind.MAP
                : s.reduce()
                    ? StepModel.Kind.REDUCE
                    : isChild ? StepModel.Kind.WORKFLOW : StepModel.Kind.TASK;
    List<StepModel.Param> params = params(method, kind);
    Set<String> deps = new LinkedHashSet<>(List.of(s.dependsOn()));
    params.stream()
        .filter(p -> p.source() == StepModel.Source.RESULT)
        .forEach(p -> deps.add(p.step()));
    String items = null;
    if (kind == StepModel.Kind.MAP) {
      String map = s.map().trim();
      if (STEP_NAME.matcher(map).matches()) {
        items = "${results." + map + "}";
      } else if (map.startsWith("${") && map.endsWith("}")) {
        items = map;
      } else {
        throw new WorkflowDefinitionException(
            where
                + ": map must be a step name or an expression like ${input.items}, got '"
                + map
                + "'");
      }
      deps.addAll(referencedSteps(items));
    }
    String when = s.when().isBlank() ? null : s.when().trim();
    if (when != null) {
      if (!when.contains("${")) {
        throw new WorkflowDefinitionException(
            where + ": when must be an expression like ${input.enabled}, got '" + when + "'");
      }
      deps.addAll(referencedSteps(when));
    }
    String childInput = s.input().isBlank() ? null : s.input().trim();
    if (childInput != null) {
      deps.addAll(referencedSteps(childInput));
    }
    String mode = s.executionMode();
    if (!mode.equals("cold") && !mode.equals("pooled")) {
      throw new WorkflowDefinitionException(
          where + ": executionMode must be cold or pooled, got '" + mode + "'");
    }
    boolean pooled = mode.equals("pooled");
    if (s.poolSize() < 0) {
      throw new WorkflowDefinitionException(where + ": poolSize must be positive");
    }
    if (s.poolSize() > 0 && !pooled) {
      throw new WorkflowDefinitionException(where + ": poolSize needs executionMode = \"pooled\"");
    }
    String warm = s.warmSchedule().isBlank() ? null : s.warmSchedule().trim();
    if (warm != null) {
      if (!pooled) {
        throw new WorkflowDefinitionException(
            where + ": warmSchedule needs executionMode = \"pooled\"");
      }
      String problem = Cron.problem(warm);
      if (problem != null) {
        throw new WorkflowDefinitionException(
            where + ": warmSchedule '" + warm + "' is not a cron expression: " + problem);
      }
    }
    if (s.maxParallel() < 0 || s.maxWorkers() < 0) {
      throw new WorkflowDefinitionException(
          where + ": maxParallel and maxWorkers must be positive");
    }
    if (s.maxFailures() < -1
        || (s.maxFailures() >= 0
            && kind != StepModel.Kind.PARALLEL
            && kind != StepModel.Kind.MAP)) {
      throw new WorkflowDefinitionException(
          where + ": maxFailures needs a parallel or map step and a count of 0 or more");
    }
    if (s.retry() < 1) {
      throw new WorkflowDefinitionException(
          where + ": retry is the number of attempts, at least 1, got " + s.retry());
    }
    Duration timeout = duration(s.timeout(), where, "timeout");
    String stepImage = s.image().isBlank() ? image : s.image();
    if (kind != StepModel.Kind.WORKFLOW && (stepImage == null || stepImage.isBlank())) {
      throw new WorkflowDefinitionException(
          where
              + ": no agent image: set @Workflow(image = ...) or @Step(image = ...), or compile"
              + " with an image");
    }
    String handler = workflow.name() + "." + name;
    if (!HANDLER.matcher(handler).matches()) {
      throw new WorkflowDefinitionException(
          where + ": handler '" + handler + "' (workflow.step) is longer than 64 characters");
    }
    if (isChild) {
      Workflow child = s.workflow().getAnnotation(Workflow.class);
      if (child == null) {
        throw new WorkflowDefinitionException(
            where + ": workflow " + s.workflow().getSimpleName() + " has no @Workflow");
      }
    }
    int maxParallel = s.maxParallel() > 0 ? s.maxParallel() : s.maxWorkers();
    return new StepModel(
        name,
        kind,
        method,
        owner,
        params,
        deps,
        stepImage,
        handler,
        s.parallel(),
        items,
        when,
        pooled,
        pooled ? (s.poolSize() > 0 ? s.poolSize() : DEFAULT_POOL_SIZE) : 0,
        warm,
        maxParallel,
        timeout,
        s.retry(),
        s.maxFailures(),
        isChild ? s.workflow() : null,
        childInput);
  }

  private static List<StepModel> mapReduceSteps(Class<?> type, MapReduce mr, String image) {
    String where = type.getSimpleName();
    Method mapper = method(type, mr.mapper(), where, "mapper");
    Method reducer = method(type, mr.reducer(), where, "reducer");
    if (image == null || image.isBlank()) {
      throw new WorkflowDefinitionException(
          where + ": no agent image: set @Workflow(image = ...) or compile with an image");
    }
    String items = mr.items().trim();
    if (!items.startsWith("${") || !items.endsWith("}")) {
      throw new WorkflowDefinitionException(
          where
              + ": @MapReduce items must be an expression like ${input.docs}, got '"
              + items
              + "'");
    }
    if (mr.poolSize() < 0 || mr.maxParallel() < 0 || mr.retry() < 1 || mr.maxFailures() < 0) {
      throw new WorkflowDefinitionException(
          where + ": @MapReduce poolSize, maxParallel, maxFailures and retry must be positive");
    }
    String name = type.getAnnotation(Workflow.class).name();
    int poolSize = mr.poolSize() > 0 ? mr.poolSize() : DEFAULT_POOL_SIZE;
    List<StepModel.Param> mapParams = new ArrayList<>();
    for (Parameter p : mapper.getParameters()) {
      mapParams.add(
          p.getType() == Context.class
              ? new StepModel.Param(StepModel.Source.CONTEXT, Context.class, null)
              : new StepModel.Param(StepModel.Source.ITEM, p.getParameterizedType(), null));
    }
    if (mapParams.stream().filter(p -> p.source() == StepModel.Source.ITEM).count() != 1) {
      throw new WorkflowDefinitionException(
          where(mapper) + ": a @MapReduce mapper takes the item (and optionally a Context)");
    }
    List<StepModel.Param> reduceParams = new ArrayList<>();
    for (Parameter p : reducer.getParameters()) {
      if (p.getType() == Context.class) {
        reduceParams.add(new StepModel.Param(StepModel.Source.CONTEXT, Context.class, null));
      } else if (List.class.isAssignableFrom(p.getType())) {
        reduceParams.add(
            new StepModel.Param(StepModel.Source.OUTPUTS, p.getParameterizedType(), null));
      } else {
        throw new WorkflowDefinitionException(
            where(reducer) + ": a @MapReduce reducer takes a List of the mapper's outputs");
      }
    }
    StepModel map =
        new StepModel(
            "map",
            StepModel.Kind.MAP,
            mapper,
            type,
            mapParams,
            new LinkedHashSet<>(referencedSteps(items)),
            image,
            name + ".map",
            0,
            items,
            null,
            true,
            poolSize,
            null,
            mr.maxParallel() > 0 ? mr.maxParallel() : poolSize,
            null,
            mr.retry(),
            mr.maxFailures(),
            null,
            null);
    StepModel reduce =
        new StepModel(
            "reduce",
            StepModel.Kind.REDUCE,
            reducer,
            type,
            reduceParams,
            new LinkedHashSet<>(List.of("map")),
            image,
            name + ".reduce",
            0,
            null,
            null,
            false,
            0,
            null,
            0,
            null,
            mr.retry(),
            -1,
            null,
            null);
    return List.of(map, reduce);
  }

  private static Method method(Class<?> type, String name, String where, String role) {
    List<Method> found = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name) && !m.isSynthetic()) {
          found.add(m);
        }
      }
    }
    if (found.isEmpty()) {
      throw new WorkflowDefinitionException(
          where + ": @MapReduce " + role + " '" + name + "' is not a method of the class");
    }
    if (found.size() > 1) {
      throw new WorkflowDefinitionException(
          where + ": @MapReduce " + role + " '" + name + "' is overloaded; name one method");
    }
    return found.get(0);
  }

  private static List<StepModel.Param> params(Method method, StepModel.Kind kind) {
    List<StepModel.Param> params = new ArrayList<>();
    String where = where(method);
    for (Parameter p : method.getParameters()) {
      Type type = p.getParameterizedType();
      StepModel.Param param;
      if (p.getType() == Context.class) {
        param = new StepModel.Param(StepModel.Source.CONTEXT, type, null);
      } else if (p.isAnnotationPresent(Input.class)) {
        param = new StepModel.Param(StepModel.Source.INPUT, type, null);
      } else if (p.isAnnotationPresent(Result.class)) {
        param =
            new StepModel.Param(
                StepModel.Source.RESULT, type, p.getAnnotation(Result.class).value());
      } else if (p.isAnnotationPresent(TaskId.class)) {
        if (p.getType() != int.class && p.getType() != Integer.class) {
          throw new WorkflowDefinitionException(
              where + ": @TaskId parameter '" + p.getName() + "' must be an int");
        }
        if (kind != StepModel.Kind.PARALLEL && kind != StepModel.Kind.MAP) {
          throw new WorkflowDefinitionException(where + ": @TaskId needs a parallel or map step");
        }
        param = new StepModel.Param(StepModel.Source.TASK_ID, type, null);
      } else if (p.isAnnotationPresent(Item.class)) {
        if (kind != StepModel.Kind.MAP) {
          throw new WorkflowDefinitionException(where + ": @Item needs a map step");
        }
        param = new StepModel.Param(StepModel.Source.ITEM, type, null);
      } else if (p.isAnnotationPresent(Results.class)) {
        if (kind != StepModel.Kind.REDUCE) {
          throw new WorkflowDefinitionException(where + ": @Results needs a reduce step");
        }
        if (!List.class.isAssignableFrom(p.getType())) {
          throw new WorkflowDefinitionException(
              where + ": @Results parameter '" + p.getName() + "' must be a List");
        }
        param =
            new StepModel.Param(
                elementType(type) == TaskResult.class
                    ? StepModel.Source.RESULTS
                    : StepModel.Source.OUTPUTS,
                type,
                null);
      } else if (p.isNamePresent()) {
        // compiled with -parameters: a parameter named after a step takes its result
        param = new StepModel.Param(StepModel.Source.RESULT, type, p.getName(), true);
      } else {
        throw new WorkflowDefinitionException(
            where
                + ": parameter "
                + (params.size() + 1)
                + " ("
                + p.getType().getSimpleName()
                + ") needs @Input, @Result, @TaskId, @Item or @Results, or be a Context");
      }
      params.add(param);
    }
    if (kind == StepModel.Kind.PARALLEL
        && params.stream().noneMatch(p -> p.source() == StepModel.Source.TASK_ID)) {
      throw new WorkflowDefinitionException(
          where + ": a parallel step needs an @TaskId int parameter (its task id, 0..n-1)");
    }
    return params;
  }

  /** Checks what spans steps: dependencies, reduces and cycles. */
  private void check() {
    for (StepModel step : steps.values()) {
      for (StepModel.Param p : step.params()) {
        if (p.source() == StepModel.Source.RESULT && !steps.containsKey(p.step())) {
          throw new WorkflowDefinitionException(
              step.where()
                  + (p.byName()
                      ? ": parameter '"
                          + p.step()
                          + "' names no step; annotate it with @Input, @Result, @TaskId, @Item or"
                          + " @Results, or name it after a step"
                      : ": @Result names unknown step '" + p.step() + "'"));
        }
      }
      for (String dep : step.dependsOn()) {
        if (dep.equals(step.name())) {
          throw new WorkflowDefinitionException(step.where() + ": a step cannot depend on itself");
        }
        if (!steps.containsKey(dep)) {
          throw new WorkflowDefinitionException(
              step.where() + ": depends on unknown step '" + dep + "'");
        }
      }
      if (step.kind() == StepModel.Kind.REDUCE
          && step.dependsOn().stream()
              .map(steps::get)
              .noneMatch(
                  d -> d.kind() == StepModel.Kind.PARALLEL || d.kind() == StepModel.Kind.MAP)) {
        throw new WorkflowDefinitionException(
            step.where()
                + ": a reduce step needs a parallel or map step among its dependencies, got "
                + (step.dependsOn().isEmpty() ? "none" : String.join(", ", step.dependsOn())));
      }
    }
    List<String> cycle = cycle();
    if (!cycle.isEmpty()) {
      List<String> methods = new ArrayList<>();
      for (String s : cycle.subList(0, cycle.size() - 1)) {
        methods.add(steps.get(s).where());
      }
      throw new WorkflowDefinitionException(
          String.join(", ", methods) + ": the steps form a cycle: " + String.join(" -> ", cycle));
    }
  }

  /** A dependency cycle as step names (the first repeated at the end), or empty. */
  private List<String> cycle() {
    Map<String, Integer> mark = new HashMap<>();
    Deque<String> path = new ArrayDeque<>();
    for (String start : steps.keySet()) {
      List<String> found = visit(start, mark, path);
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  private List<String> visit(String step, Map<String, Integer> mark, Deque<String> path) {
    Integer m = mark.get(step);
    if (m != null && m == 2) {
      return List.of();
    }
    if (m != null && m == 1) {
      List<String> inPath = new ArrayList<>(path);
      java.util.Collections.reverse(inPath);
      List<String> cycle = new ArrayList<>(inPath.subList(inPath.indexOf(step), inPath.size()));
      cycle.add(step);
      return cycle;
    }
    mark.put(step, 1);
    path.push(step);
    for (String dep : steps.get(step).dependsOn()) {
      List<String> found = visit(dep, mark, path);
      if (!found.isEmpty()) {
        return found;
      }
    }
    path.pop();
    mark.put(step, 2);
    return List.of();
  }

  /** The steps a {@code results.<step>} reference in {@code expression} names. */
  static Set<String> referencedSteps(String expression) {
    Set<String> found = new LinkedHashSet<>();
    Matcher m = RESULTS_REF.matcher(expression);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  /** The steps in an order that puts every step after its dependencies. */
  List<StepModel> ordered() {
    List<StepModel> out = new ArrayList<>();
    Set<String> done = new HashSet<>();
    while (out.size() < steps.size()) {
      for (StepModel s : steps.values()) {
        if (!done.contains(s.name()) && done.containsAll(s.dependsOn())) {
          out.add(s);
          done.add(s.name());
        }
      }
    }
    return out;
  }

  private static Duration duration(String text, String where, String what) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Duration d = Durations.parse(text);
    if (d == null) {
      throw new WorkflowDefinitionException(
          where + ": " + what + " '" + text + "' is not a duration (like PT30S or 30s)");
    }
    return d;
  }

  static Type elementType(Type listType) {
    if (listType instanceof ParameterizedType p && p.getActualTypeArguments().length == 1) {
      return p.getActualTypeArguments()[0];
    }
    return Object.class;
  }

  static String where(Method method) {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
  }
}
