package io.agentainer.flow.sdk.workflow;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.agentainer.flow.sdk.agent.TaskFailure;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/** Turns a task's JSON into a step method's arguments, calls it, and its result into JSON. */
final class Bindings {

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Bindings() {}

  /**
   * What one task gives its step method.
   *
   * @param input the job's input: {@code {input, results, item?, index?}}
   * @param upstream a reduce's upstream results ({@code [{taskId, status, output|error}]}), else
   *     null
   */
  record Call(Context context, JsonNode input, JsonNode upstream) {}

  /** Calls the step's method on {@code target} with the arguments {@code call} gives it. */
  static Object invoke(StepModel step, Object target, Call call) throws Exception {
    Method method = step.method();
    Object[] args = new Object[step.params().size()];
    for (int i = 0; i < args.length; i++) {
      args[i] = argument(step, step.params().get(i), call);
    }
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  private static Object argument(StepModel step, StepModel.Param param, Call call) {
    JsonNode in = call.input() == null ? NullNode.getInstance() : call.input();
    return switch (param.source()) {
      case CONTEXT -> call.context();
      case INPUT -> convert(in.path("input"), param.type(), step, "the run's input");
      case RESULT ->
          convert(
              in.path("results").path(param.step()),
              param.type(),
              step,
              "the result of step " + param.step());
      case TASK_ID -> in.path("index").asInt(call.context().taskId());
      case ITEM -> convert(in.path("item"), param.type(), step, "the item");
      case RESULTS -> convert(upstream(call), param.type(), step, "the upstream results");
      case OUTPUTS -> outputs(step, param, call);
    };
  }

  private static JsonNode upstream(Call call) {
    return call.upstream() == null ? JSON.createArrayNode() : call.upstream();
  }

  private static Object outputs(StepModel step, StepModel.Param param, Call call) {
    JavaType element = JSON.constructType(WorkflowModel.elementType(param.type()));
    List<Object> out = new ArrayList<>();
    for (JsonNode r : upstream(call)) {
      if ("SUCCEEDED".equals(r.path("status").asText())) {
        out.add(convert(r.path("output"), element, step, "an upstream output"));
      }
    }
    return out;
  }

  static Object convert(JsonNode value, Type type, StepModel step, String what) {
    return convert(value, JSON.constructType(type), step, what);
  }

  private static Object convert(JsonNode value, JavaType type, StepModel step, String what) {
    JsonNode v = value == null || value.isMissingNode() ? NullNode.getInstance() : value;
    if (type.getRawClass() == JsonNode.class) {
      return v;
    }
    if (v.isNull() && type.isPrimitive()) {
      throw TaskFailure.badInput(
          step.name(), what + " is missing for " + step.where() + " (" + type.getRawClass() + ")");
    }
    try {
      return JSON.convertValue(v, type);
    } catch (IllegalArgumentException e) {
      throw TaskFailure.badInput(
          step.name(),
          what
              + " does not fit "
              + type.getRawClass().getSimpleName()
              + " of "
              + step.where()
              + ": "
              + e.getMessage());
    }
  }
}
