package io.agentainer.flow.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Runs command lines against a stand-in API with a fixed clock, capturing stdout and stderr. */
final class CliHarness {

  static final Instant NOW = Instant.parse("2025-01-02T03:10:00Z");

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  private final FakeApi api;
  private boolean terminal;

  CliHarness(FakeApi api) {
    this.api = api;
  }

  /** Runs the next command lines as if stderr were a terminal. */
  CliHarness onATerminal() {
    terminal = true;
    return this;
  }

  int run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--api=" + api.api());
    all.add("--token=t0k3n");
    return Agentainer.run(
        all.toArray(String[]::new),
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        Clock.fixed(NOW, ZoneOffset.UTC),
        terminal);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }
}
