package io.agentainer.flow.server.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentainer.flow.server.config.FlowSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the runtimes from the settings: the process runtime (with the example agent's jar, which
 * the server carries, mapped to its image name) and whatever other runtimes are beans (Docker).
 */
@ApplicationScoped
public class AgentRuntimesProducer {

  /** The example agent's image name, served by the jar inside the server on the process runtime. */
  public static final String EXAMPLE_IMAGE = "agentainer/example-agent:latest";

  static final String EXAMPLE_JAR_RESOURCE = "agents/example-agent.jar";

  @Produces
  @Singleton
  PortAllocator ports(FlowSettings settings) {
    return PortAllocator.of(settings.agentPorts());
  }

  @Produces
  @Singleton
  AgentClient agentClient() {
    return new AgentClient(new ObjectMapper());
  }

  @Produces
  @Singleton
  @Named("process")
  ProcessRuntime processRuntime(FlowSettings settings, PortAllocator ports) {
    Path home =
        settings
            .agentDir()
            .map(Path::of)
            .orElseGet(
                () ->
                    Path.of(
                        System.getProperty(
                            "jboss.server.data.dir", System.getProperty("java.io.tmpdir")),
                        "agentainer-agents"));
    Map<String, List<String>> commands = new LinkedHashMap<>();
    exampleAgentJar(home.resolveSibling("agentainer-agent-jars"))
        .ifPresent(jar -> commands.put(EXAMPLE_IMAGE, javaCommand(jar)));
    commands.putAll(ProcessRuntime.parseCommands(settings.processImages().orElse(null)));
    return new ProcessRuntime(commands, home, ports);
  }

  @Produces
  @Singleton
  AgentRuntimes runtimes(
      FlowSettings settings,
      @Named("process") ProcessRuntime process,
      @Any Instance<AgentRuntime> others) {
    List<AgentRuntime> all = new ArrayList<>();
    others.forEach(
        r -> {
          if (!(r instanceof ProcessRuntime)) {
            all.add(r);
          }
        });
    all.add(process);
    return new AgentRuntimes(all, settings.agentRuntime());
  }

  /** The command that runs a Java agent jar with the server's own JDK. */
  public static List<String> javaCommand(Path jar) {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Xmx128m",
        "-Dsun.net.httpserver.nodelay=true",
        "-jar",
        jar.toString());
  }

  /** The example agent's jar, copied out of the server's classpath into {@code dir}. */
  static java.util.Optional<Path> exampleAgentJar(Path dir) {
    try (InputStream in =
        AgentRuntimesProducer.class.getClassLoader().getResourceAsStream(EXAMPLE_JAR_RESOURCE)) {
      if (in == null) {
        return java.util.Optional.empty();
      }
      Files.createDirectories(dir);
      Path jar = dir.resolve("example-agent.jar");
      Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
      return java.util.Optional.of(jar);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the example agent", e);
    }
  }
}
