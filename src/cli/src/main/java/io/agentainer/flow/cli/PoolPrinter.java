package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.Page;
import io.agentainer.flow.sdk.client.Pool;
import io.agentainer.flow.sdk.client.PoolAgent;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/** How agent pools read in a terminal: a list as a table with a page footer, one pool as a card. */
final class PoolPrinter {

  private final PrintWriter out;
  private final Instant now;

  PoolPrinter(PrintWriter out, Instant now) {
    this.out = out;
    this.now = now;
  }

  /**
   * A page of pools: {@code NAME RUNTIME IMAGE SIZE BUSY IDLE UTIL LEASES COLD P50 ms P99 ms}, then
   * {@code page 1 of 3 (120 pools)}; {@code no pools} when the page is empty.
   */
  void page(Page<Pool> page) {
    if (page.items().isEmpty()) {
      out.println(page.total() == 0 ? "no pools" : "no pools on page " + (page.page() + 1));
    } else {
      Table table =
          new Table(
              "NAME", "RUNTIME", "IMAGE", "SIZE", "BUSY", "IDLE", "UTIL", "LEASES", "COLD",
              "P50 ms", "P99 ms");
      for (Pool pool : page.items()) {
        table.row(
            pool.name(),
            pool.runtime(),
            pool.image(),
            pool.size(),
            pool.busy(),
            pool.idle(),
            percent(pool.utilization()),
            pool.leases(),
            pool.coldStarts(),
            number(pool.leaseWaitP50Ms()),
            number(pool.leaseWaitP99Ms()));
      }
      table.print(out);
    }
    if (page.total() > 0) {
      out.printf(
          "page %d of %d (%d %s)%n",
          page.page() + 1,
          Math.max(1, page.totalPages()),
          page.total(),
          page.total() == 1 ? "pool" : "pools");
    }
  }

  /**
   * One pool, a field a line: what it is, its settings, its agents and metrics, its stopped agents
   * by reason; then its agents as a table ({@code no agents} when it has none).
   */
  void pool(Pool pool) {
    Pool.Config config = pool.config() == null ? new Pool.Config(null, null, null) : pool.config();
    Table card = new Table("ID", Table.cell(pool.id()));
    card.row("NAME", pool.name());
    card.row("STATUS", pool.status());
    card.row("DEFINITION", pool.definition());
    card.row("SHARED", yesNo(pool.shared()));
    card.row("RUNTIME", pool.runtime());
    card.row("IMAGE", pool.image());
    card.row("ENV", env(config.env()));
    card.row("CPUS", number(config.cpus()));
    card.row("MEMORY", config.memoryMb() == null ? null : config.memoryMb() + "MB");
    card.row("MIN SIZE", pool.minSize());
    card.row("MAX SIZE", pool.maxSize());
    card.row("IDLE TIMEOUT", duration(pool.idleTimeout()));
    card.row("MAX USES", pool.maxUses());
    card.row("WARM UP", yesNo(pool.warmUp()));
    card.row("LEASE TIMEOUT", duration(pool.leaseTimeout()));
    card.row("WARM SCHEDULE", pool.warmSchedule());
    card.row("WARM SIZE", pool.warmSize());
    card.row("NEXT WARM", time(pool.nextWarmAt()));
    card.row("CREATED", pool.createdAt() == null ? null : pool.createdAt() + ago(pool.createdAt()));
    card.row(
        "AGENTS",
        pool.size()
            + " ("
            + pool.busy()
            + " busy, "
            + pool.idle()
            + " idle, "
            + pool.starting()
            + " starting)");
    card.row("WAITING", pool.waiting());
    card.row("UTILIZATION", utilization(pool));
    card.row("LEASES", pool.leases());
    card.row("REUSED", pool.reused());
    card.row("COLD STARTS", pool.coldStarts());
    card.row("COLD AVOIDED", pool.coldStartsAvoided());
    card.row("EXHAUSTIONS", pool.exhaustions());
    card.row("LEASE WAIT", leaseWait(pool.leaseWaitP50Ms(), pool.leaseWaitP99Ms()));
    card.row("TERMINATIONS", terminations(pool.terminations()));
    card.print(out);
    out.println();
    if (pool.agents().isEmpty()) {
      out.println("no agents");
      return;
    }
    Table agents = new Table("AGENT", "STATUS", "USES", "ENDPOINT", "UP", "LAST USED");
    for (PoolAgent agent : pool.agents()) {
      agents.row(
          agent.id(),
          agent.status(),
          agent.uses(),
          agent.endpoint(),
          agent.startedAt() == null ? null : Times.age(agent.startedAt(), now),
          agent.lastUsedAt() == null ? null : Times.age(agent.lastUsedAt(), now) + " ago");
    }
    agents.print(out);
  }

  /** A share as a whole percentage: {@code 0.4} is {@code 40%}. */
  static String percent(double share) {
    return Math.round(share * 100) + "%";
  }

  /**
   * A measure to read, about three digits: {@code 0.02}, {@code 12.5}, {@code 850}; {@code null}
   * for none.
   */
  static String number(Double value) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return null;
    }
    double magnitude = Math.abs(value);
    int scale = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
    return BigDecimal.valueOf(value)
        .setScale(scale, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }

  private static String utilization(Pool pool) {
    Double life = pool.lifetimeUtilization();
    String current = percent(pool.utilization()) + " now";
    return life == null ? current : current + ", " + percent(life) + " over its life";
  }

  private static String leaseWait(Double p50, Double p99) {
    if (p50 == null && p99 == null) {
      return null;
    }
    return "p50 " + millis(p50) + ", p99 " + millis(p99);
  }

  private static String millis(Double value) {
    String number = number(value);
    return number == null ? "-" : number + "ms";
  }

  private static String terminations(Map<String, Long> byReason) {
    if (byReason.isEmpty()) {
      return "none";
    }
    return byReason.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static String env(Map<String, String> env) {
    return env.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  private static String yesNo(boolean value) {
    return value ? "yes" : "no";
  }

  private static String duration(Duration duration) {
    return duration == null ? null : Times.format(duration);
  }

  private static String time(Instant time) {
    return time == null ? null : time.toString();
  }

  private String ago(Instant time) {
    return " (" + Times.age(time, now) + " ago)";
  }
}
