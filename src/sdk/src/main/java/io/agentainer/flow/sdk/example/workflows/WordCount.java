package io.agentainer.flow.sdk.example.workflows;

import io.agentainer.flow.sdk.workflow.MapReduce;
import io.agentainer.flow.sdk.workflow.Workflow;
import java.util.List;
import java.util.Map;

/** The word count of {@link WordCountByHand} with {@code @MapReduce}. */
@Workflow(name = "wordcount-mapreduce", image = Examples.IMAGE)
@MapReduce(items = "${input.docs}", mapper = "count", reducer = "total", poolSize = 5)
public class WordCount {

  Map<String, Long> count(String doc) {
    return Words.count(doc);
  }

  Map<String, Long> total(List<Map<String, Long>> counts) {
    return Words.merge(counts);
  }
}
