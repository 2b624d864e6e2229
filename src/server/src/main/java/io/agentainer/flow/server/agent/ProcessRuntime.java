package io.agentainer.flow.server.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Agents as local processes, for laptops without Docker and for fast tests; the default when no
 * Docker engine answers. An image name maps to a command ({@code FLOW_PROCESS_IMAGES}); the example
 * agent maps to its jar, run by the server's own JDK.
 *
 * <p>Each agent gets a folder holding its output ({@code agent.log}) and a record of its pid and
 * labels ({@code agent.json}), so a server that restarts after a crash still finds the processes it
 * started.
 */
public class ProcessRuntime implements AgentRuntime {

  private static final String RECORD = "agent.json";
  private static final String LOG = "agent.log";

  private final Map<String, List<String>> commands;
  private final Path home;
  private final PortAllocator ports;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Process> children = new ConcurrentHashMap<>();

  /**
   * @param commands image name to command line (the agent's environment says its port)
   * @param home where agent folders are kept
   */
  public ProcessRuntime(Map<String, List<String>> commands, Path home, PortAllocator ports) {
    this.commands = Map.copyOf(commands);
    this.home = home;
    this.ports = ports;
  }

  /** Parses {@code image=command args;image2=command2}. */
  public static Map<String, List<String>> parseCommands(String text) {
    Map<String, List<String>> commands = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return commands;
    }
    for (String entry : text.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new IllegalArgumentException(
            "FLOW_PROCESS_IMAGES: expected image=command, got '" + entry.trim() + "'");
      }
      commands.put(
          entry.substring(0, eq).trim(), List.of(entry.substring(eq + 1).trim().split("\\s+")));
    }
    return commands;
  }

  @Override
  public String name() {
    return "process";
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public boolean knows(String image) {
    return command(image).isPresent();
  }

  private Optional<List<String>> command(String image) {
    List<String> command = commands.get(image);
    if (command == null && !image.contains(":")) {
      command = commands.get(image + ":latest");
    }
    return Optional.ofNullable(command);
  }

  @Override
  public AgentHandle start(AgentLaunch launch) {
    List<String> command =
        command(launch.image())
            .orElseThrow(
                () ->
                    new AgentStartException(
                        "image_not_found",
                        "no command for image "
                            + launch.image()
                            + " on the process runtime (FLOW_PROCESS_IMAGES)",
                        false));
    int port = ports.acquire();
    Path dir = home.resolve(launch.agentId().toString());
    try {
      Files.createDirectories(dir);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve(LOG).toFile());
      builder.environment().putAll(launch.env());
      builder.environment().put("FLOW_AGENT_PORT", String.valueOf(port));
      Process process = builder.start();
      children.put(launch.agentId().toString(), process);
      Map<String, Object> record = new HashMap<>();
      record.put("pid", process.pid());
      record.put("port", port);
      record.put("image", launch.image());
      record.put("labels", launch.labels());
      Files.write(dir.resolve(RECORD), json.writeValueAsBytes(record));
      return new AgentHandle(
          launch.agentId(),
          name(),
          String.valueOf(process.pid()),
          URI.create("http://127.0.0.1:" + port),
          port,
          launch.labels());
    } catch (IOException e) {
      ports.release(port);
      throw new AgentStartException(
          "agent_start_failed", "cannot start " + command.get(0) + ": " + e.getMessage(), true, e);
    }
  }

  @Override
  public boolean isRunning(AgentHandle agent) {
    return handle(agent).map(ProcessHandle::isAlive).orElse(false);
  }

  private Optional<ProcessHandle> handle(AgentHandle agent) {
    Process child = children.get(agent.agentId().toString());
    if (child != null) {
      return Optional.of(child.toHandle());
    }
    return ProcessHandle.of(Long.parseLong(agent.ref()));
  }

  @Override
  public OptionalInt exitCode(AgentHandle agent) {
    Process child = children.get(agent.agentId().toString());
    if (child == null) {
      return OptionalInt.empty();
    }
    if (child.isAlive() && !child.toHandle().isAlive()) {
      // the process is gone but the JDK has not collected its status yet
      try {
        child.waitFor(1, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return child.isAlive() ? OptionalInt.empty() : OptionalInt.of(child.exitValue());
  }

  @Override
  public String logs(AgentHandle agent, int maxChars) {
    Path log = home.resolve(agent.agentId().toString()).resolve(LOG);
    try {
      if (!Files.exists(log)) {
        return "";
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() <= maxChars ? text : text.substring(text.length() - maxChars);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void stop(AgentHandle agent) {
    handle(agent)
        .ifPresent(
            process -> {
              process.descendants().forEach(ProcessHandle::destroyForcibly);
              process.destroyForcibly();
              process.onExit().join();
            });
    children.remove(agent.agentId().toString());
    ports.release(agent.port());
    delete(home.resolve(agent.agentId().toString()));
  }

  @Override
  public List<AgentHandle> listLabelled() {
    if (!Files.isDirectory(home)) {
      return List.of();
    }
    List<AgentHandle> agents = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(home)) {
      for (Path dir : dirs.toList()) {
        Path record = dir.resolve(RECORD);
        if (!Files.exists(record)) {
          continue;
        }
        Map<?, ?> fields = json.readValue(record.toFile(), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, String> labels = (Map<String, String>) fields.get("labels");
        if (labels == null || !labels.containsKey(AgentLabels.NODE)) {
          continue;
        }
        int port = ((Number) fields.get("port")).intValue();
        agents.add(
            new AgentHandle(
                java.util.UUID.fromString(dir.getFileName().toString()),
                name(),
                String.valueOf(fields.get("pid")),
                URI.create("http://127.0.0.1:" + port),
                port,
                labels));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the agents in " + home, e);
    }
    return agents;
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a folder left behind holds no process: the next listing skips it once its record is gone
    }
  }
}
