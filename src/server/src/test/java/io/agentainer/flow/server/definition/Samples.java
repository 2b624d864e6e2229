package io.agentainer.flow.server.definition;

/** Definitions the tests start from. */
final class Samples {

  private Samples() {}

  /** The example of DESIGN section 2. */
  static final String WORDCOUNT_YAML =
      """
      name: wordcount                  # [a-z0-9_-]{1,64}
      description: count words
      parameters: {type: object, required: [docs]}
      timeout: PT30M
      maxParallel: 10
      retention: P30D
      steps:
        - name: list
          kind: task
          agent: {image: agentainer/example-agent:latest, handler: split, env: {}, cpus: 0.5, memoryMb: 256}
          input: {docs: "${input.docs}"}
        - name: count
          kind: map
          dependsOn: [list]
          items: "${results.list.docs}"
          agent: {image: agentainer/example-agent:latest, handler: wordcount}
          executionMode: pooled
          pool: {minSize: 0, maxSize: 5, idleTimeout: PT5M, maxUses: 100, warmUp: true}
          maxParallel: 5
          timeout: PT1M
          retry: {maxAttempts: 3, backoff: exponential, initialDelay: PT1S, maxDelay: PT1M, jitter: 0.2}
          tolerance: {minSuccessRatio: 0.8}
        - name: total
          kind: reduce
          dependsOn: [count]
          agent: {image: agentainer/example-agent:latest, handler: sum}
      """;

  /** The same definition in JSON, written differently: short durations, other key orders. */
  static final String WORDCOUNT_JSON =
      """
      {
        "steps": [
          {"name": "list", "agent": {"handler": "split", "image": "agentainer/example-agent:latest",
             "memoryMb": 256, "cpus": 0.5, "env": {}},
           "input": {"docs": "${input.docs}"}},
          {"name": "count", "kind": "map", "dependsOn": ["list"], "items": "${results.list.docs}",
           "agent": {"image": "agentainer/example-agent:latest", "handler": "wordcount"},
           "executionMode": "pooled",
           "pool": {"warmUp": true, "maxUses": 100, "idleTimeout": "PT5M", "maxSize": 5, "minSize": 0},
           "maxParallel": 5, "timeout": "1m",
           "retry": {"maxAttempts": 3, "initialDelay": "1s", "maxDelay": "60s"},
           "tolerance": {"minSuccessRatio": 0.8}},
          {"name": "total", "kind": "reduce", "dependsOn": ["count"],
           "agent": {"image": "agentainer/example-agent:latest", "handler": "sum"}}
        ],
        "name": "wordcount", "description": "count words",
        "parameters": {"required": ["docs"], "type": "object"},
        "timeout": "30m", "maxParallel": 10, "retention": "30d"
      }
      """;

  /** Every kind once. */
  static final String ALL_KINDS_YAML =
      """
      name: all-kinds
      steps:
        - name: start
          agent: {image: agentainer/example-agent:latest, handler: echo}
          input: {n: "${input.n}", greeting: "hello ${input.who}"}
        - name: fan
          kind: parallel
          dependsOn: [start]
          count: 4
          agent: {image: agentainer/example-agent:latest, handler: echo}
          tolerance: {maxFailures: 1}
        - name: each
          kind: parallel
          dependsOn: [start]
          params: [{a: 1}, {a: 2}, {a: "${results.start.n}"}]
          agent: {image: agentainer/example-agent:latest, handler: echo, runtime: process}
        - name: sum
          kind: reduce
          dependsOn: [fan, each]
          agent: {image: agentainer/example-agent:latest, handler: sum}
        - name: decide
          kind: branch
          dependsOn: [sum]
          when: results.sum.total > 10
          then: [big]
          else: [small]
        - name: big
          dependsOn: [decide]
          agent: {image: agentainer/example-agent:latest, handler: echo}
          input: {total: "${results.sum.total}"}
        - name: small
          kind: workflow
          dependsOn: [decide]
          when: "${input.n != 0}"
          workflow: {name: wordcount, version: 2, input: {docs: "${input.docs}"}}
      """;

  /** A definition whose only step is {@code step}, indented as a list item under steps. */
  static String oneStep(String step) {
    return "name: one\nsteps:\n" + step.stripIndent().indent(4).replaceFirst("^    ", "  - ");
  }
}
