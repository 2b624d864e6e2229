package io.agentainer.flow.sdk.example.workflows;

import io.agentainer.flow.sdk.workflow.Context;
import io.agentainer.flow.sdk.workflow.Input;
import io.agentainer.flow.sdk.workflow.Result;
import io.agentainer.flow.sdk.workflow.Results;
import io.agentainer.flow.sdk.workflow.Step;
import io.agentainer.flow.sdk.workflow.TaskId;
import io.agentainer.flow.sdk.workflow.TaskResult;
import io.agentainer.flow.sdk.workflow.Workflow;
import java.util.List;
import java.util.Map;

/**
 * The seed's ETL example: {@code extract} reads the records and notes how many in the state; {@code
 * process_chunks} handles five chunks at once (task ids 0-4), each reading the count back from the
 * state; {@code aggregate} sums the chunks' {@code count}s.
 */
@Workflow(
    name = "etl-pipeline",
    description = "extract, 5 parallel chunks, aggregate",
    image = Examples.IMAGE)
public class EtlPipeline {

  /** The number of chunks. */
  public static final int CHUNKS = 5;

  /** What {@code extract} returns. */
  public record Extracted(int records, int chunks) {}

  /** What one chunk returns. */
  public record Chunk(int chunkId, int count) {}

  @Step
  public Extracted extract(Context ctx, @Input Map<String, Object> input) {
    int records = ((Number) input.getOrDefault("records", 1000)).intValue();
    ctx.state().put("records", records);
    ctx.log().info("extracted " + records + " records");
    return new Extracted(records, CHUNKS);
  }

  @Step(name = "process_chunks", parallel = CHUNKS, maxWorkers = 5)
  public Chunk processChunks(Context ctx, @TaskId int chunkId, @Result("extract") Extracted e) {
    int records = ctx.state().get("records").orElseThrow().asInt();
    int count = records / e.chunks() + (chunkId < records % e.chunks() ? 1 : 0);
    return new Chunk(chunkId, count);
  }

  @Step(reduce = true, dependsOn = "process_chunks")
  public Map<String, Object> aggregate(Context ctx, @Results List<TaskResult> results) {
    int total = 0;
    for (TaskResult r : results) {
      total += r.output(Chunk.class).count();
    }
    ctx.state().put("total", total);
    return Map.of("total", total, "chunks", results.size());
  }
}
