package io.agentainer.flow.sdk.workflow.templates;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.sdk.workflow.Context;
import io.agentainer.flow.sdk.workflow.Input;
import io.agentainer.flow.sdk.workflow.Item;
import io.agentainer.flow.sdk.workflow.Results;
import io.agentainer.flow.sdk.workflow.Step;
import java.util.List;

/**
 * Extract, transform, load: {@code extract} returns the records, {@code transform} runs once per
 * record on a pool of 5 warm agents (3 attempts each), {@code load} gets the transformed records in
 * order. The steps are inherited: write the three hooks.
 *
 * <pre>{@code
 * @Workflow(name = "nightly-import", image = "acme/import-agent:latest")
 * class NightlyImport extends EtlTemplate {
 *   protected List<?> extract(Context ctx, JsonNode input) { ... }
 *   protected Object transform(Context ctx, JsonNode record) { ... }
 *   protected Object load(Context ctx, List<JsonNode> records) { ... }
 * }
 * }</pre>
 */
public abstract class EtlTemplate {

  /** The records to transform, from the run's input. */
  protected abstract List<?> extract(Context ctx, JsonNode input) throws Exception;

  /** One record transformed. */
  protected abstract Object transform(Context ctx, JsonNode record) throws Exception;

  /** Stores the transformed records; the return value is the run's output. */
  protected abstract Object load(Context ctx, List<JsonNode> records) throws Exception;

  @Step(name = "extract")
  public List<?> extractStep(Context ctx, @Input JsonNode input) throws Exception {
    return extract(ctx, input);
  }

  @Step(name = "transform", map = "extract", executionMode = "pooled", poolSize = 5, retry = 3)
  public Object transformStep(Context ctx, @Item JsonNode record) throws Exception {
    return transform(ctx, record);
  }

  @Step(name = "load", reduce = true, dependsOn = "transform")
  public Object loadStep(Context ctx, @Results List<JsonNode> records) throws Exception {
    return load(ctx, records);
  }
}
