package io.agentainer.flow.sdk.example.workflows;

import java.util.List;

/** The example workflows and the image that serves them. */
public final class Examples {

  /** The example agent's image, which serves every example workflow. */
  public static final String IMAGE = "agentainer/example-agent:latest";

  private Examples() {}

  /** A new instance of every example workflow, for the example agent. */
  public static List<Object> all() {
    return List.of(
        new EtlPipeline(),
        new StateOperations(),
        new PooledSquares(),
        new WordCountByHand(),
        new WordCount(),
        new Orders(),
        new Audit());
  }
}
