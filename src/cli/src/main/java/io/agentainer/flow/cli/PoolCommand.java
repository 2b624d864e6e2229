package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.Page;
import io.agentainer.flow.sdk.client.Pool;
import io.agentainer.flow.sdk.client.PoolChange;
import io.agentainer.flow.sdk.client.PoolDrain;
import io.agentainer.flow.sdk.client.PoolWarm;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code agentainer pool ...}: the pools of warm agents that pooled steps and jobs lease from. */
@Command(
    name = "pool",
    description = "Inspect, warm, drain and resize agent pools.",
    subcommands = {
      PoolCommand.ListPools.class,
      PoolCommand.Show.class,
      PoolCommand.Warm.class,
      PoolCommand.Drain.class,
      PoolCommand.Resize.class
    })
class PoolCommand {

  /** The page size when {@code --size} is not given. */
  static final int DEFAULT_SIZE = 50;

  /** {@code agentainer pool list}: pools by name, with their size and lease metrics. */
  @Command(
      name = "list",
      description = {
        "List agent pools by name: agents (size, busy, idle), utilization now, leases, cold"
            + " starts and lease waits (p50, p99) since the answering node started."
      })
  static class ListPools extends ApiCommand {
    @Option(
        names = "--page",
        paramLabel = "N",
        converter = Converters.PageNumber.class,
        description = "the page to show, from 1 (default: 1)")
    Integer page;

    @Option(
        names = "--size",
        paramLabel = "N",
        converter = Converters.PageSize.class,
        description = "pools per page, 1 to 500 (default: " + DEFAULT_SIZE + ")")
    Integer size;

    @Override
    public Integer call() {
      Page<Pool> result =
          client().pools(page == null ? 0 : page - 1, size == null ? DEFAULT_SIZE : size);
      if (json()) {
        out().println(Json.write(result));
      } else {
        new PoolPrinter(out(), now()).page(result);
      }
      return 0;
    }
  }

  /** A command on one pool, named by its id or name; a 404 says the pool is not found. */
  abstract static class OnePool extends ApiCommand {
    @Parameters(index = "0", paramLabel = "POOL", description = "the pool's id or name")
    String pool;

    /** Calls the API about {@link #pool}, telling an unknown pool in words. */
    <T> T onPool(Supplier<T> call) {
      try {
        return call.get();
      } catch (FlowClientException e) {
        if (e.status() == 404) {
          throw new FlowClientException(404, e.code(), "pool " + pool + " not found", e.details());
        }
        throw e;
      }
    }
  }

  /** {@code agentainer pool show <pool>}: settings, metrics, terminations, then the agents. */
  @Command(
      name = "show",
      description =
          "Show a pool: its configuration and sizes, agents and lease metrics, stopped agents by"
              + " reason, then its agents.")
  static class Show extends OnePool {
    @Override
    public Integer call() {
      Pool found = onPool(() -> client().pool(pool));
      if (json()) {
        out().println(Json.write(found));
      } else {
        new PoolPrinter(out(), now()).pool(found);
      }
      return 0;
    }
  }

  /** {@code agentainer pool warm <pool> [--size N]}: starts agents up to a size. */
  @Command(
      name = "warm",
      description =
          "Start agents until the pool holds --size of them (default: its warm size), never more"
              + " than its max size.")
  static class Warm extends OnePool {
    @Option(
        names = "--size",
        paramLabel = "N",
        converter = Converters.NonNegative.class,
        description = "how many agents the pool is to hold, 0 or more")
    Integer size;

    @Override
    public Integer call() {
      PoolWarm warm = onPool(() -> client().warmPool(pool, size));
      if (json()) {
        out().println(Json.write(warm));
      } else {
        out()
            .println(
                "pool "
                    + pool
                    + ": warming to "
                    + agents(warm.target())
                    + ", "
                    + warm.starting()
                    + " starting");
      }
      return 0;
    }
  }

  /** {@code agentainer pool drain <pool>}: retires every agent; the pool stays usable. */
  @Command(
      name = "drain",
      description =
          "Retire every agent of a pool: idle ones stop now, busy ones when their task ends. The"
              + " pool stays usable and starts new agents for new leases.")
  static class Drain extends OnePool {
    @Override
    public Integer call() {
      PoolDrain drain = onPool(() -> client().drainPool(pool));
      if (json()) {
        out().println(Json.write(drain));
      } else {
        out()
            .println(
                "pool "
                    + pool
                    + ": "
                    + agents(drain.stopping())
                    + " stopping now, "
                    + agents(drain.retiring())
                    + " retiring when their task ends");
      }
      return 0;
    }
  }

  /** {@code agentainer pool resize <pool> [--min N] [--max N]}: at least one of them. */
  @Command(
      name = "resize",
      description = {
        "Change a pool's min and max size; give --min, --max or both.",
        "Shrinking stops idle agents above the new max now, busy ones when their task ends."
      },
      footer = {
        "",
        "Example:",
        "  agentainer pool resize wordcount-example-agent-3f2a91c0 --max 8"
      })
  static class Resize extends OnePool {
    @Option(
        names = "--min",
        paramLabel = "N",
        converter = Converters.NonNegative.class,
        description = "agents the pool keeps running, 0 or more")
    Integer min;

    @Option(
        names = "--max",
        paramLabel = "N",
        converter = Converters.Positive.class,
        description = "the most agents the pool runs on a node, 1 or more")
    Integer max;

    @Override
    public Integer call() {
      if (min == null && max == null) {
        throw new ParameterException(
            spec.commandLine(), "Missing option: give --min N, --max N or both");
      }
      if (min != null && max != null && min > max) {
        throw new ParameterException(
            spec.commandLine(),
            "Invalid value for option '--min': " + min + " is more than --max " + max);
      }
      Pool resized = onPool(() -> client().resizePool(pool, PoolChange.sizes(min, max)));
      if (json()) {
        out().println(Json.write(resized));
      } else {
        out()
            .println(
                "pool "
                    + resized.name()
                    + ": min "
                    + resized.minSize()
                    + ", max "
                    + resized.maxSize()
                    + " ("
                    + agents(resized.size())
                    + " now)");
      }
      return 0;
    }
  }

  /** {@code 1 agent}, {@code 3 agents}. */
  static String agents(int count) {
    return count + (count == 1 ? " agent" : " agents");
  }
}
