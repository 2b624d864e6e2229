package io.agentainer.flow.sdk.example.workflows;

import com.fasterxml.jackson.core.type.TypeReference;
import io.agentainer.flow.sdk.workflow.Context;
import io.agentainer.flow.sdk.workflow.Input;
import io.agentainer.flow.sdk.workflow.Item;
import io.agentainer.flow.sdk.workflow.Results;
import io.agentainer.flow.sdk.workflow.Step;
import io.agentainer.flow.sdk.workflow.TaskResult;
import io.agentainer.flow.sdk.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A word count written step by step: list the documents, count each on a pool with retries, and
 * merge the counts of the documents that succeeded, noting progress and failures. {@link WordCount}
 * is the same with {@code @MapReduce}.
 */
@Workflow(
    name = "wordcount-by-hand",
    description = "word count, step by step",
    image = Examples.IMAGE)
public class WordCountByHand {

  /** The run's input. */
  public record Docs(List<String> docs) {}

  @Step
  public List<String> documents(@Input Docs input) {
    if (input.docs() == null) {
      throw new IllegalArgumentException("input.docs is required");
    }
    return input.docs();
  }

  @Step(map = "documents", executionMode = "pooled", poolSize = 5, maxParallel = 5, retry = 3)
  public Map<String, Long> count(Context ctx, @Item String doc) {
    Map<String, Long> words = Words.count(doc);
    ctx.state().increment("documents_done", 1);
    return words;
  }

  @Step(reduce = true, dependsOn = "count")
  public Map<String, Long> total(Context ctx, @Results List<TaskResult> results) {
    List<Map<String, Long>> counts = new ArrayList<>();
    int failed = 0;
    for (TaskResult r : results) {
      if (r.succeeded()) {
        counts.add(r.output(new TypeReference<Map<String, Long>>() {}));
      } else {
        failed++;
        ctx.log().warn("document " + r.taskId() + " failed: " + r.error());
      }
    }
    if (failed > 0) {
      ctx.state().put("documents_failed", failed);
    }
    return Words.merge(counts);
  }
}
