package io.agentainer.flow.server.infra.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.agentainer.flow.server.agent.AgentHandle;
import io.agentainer.flow.server.agent.AgentLabels;
import io.agentainer.flow.server.agent.AgentLaunch;
import io.agentainer.flow.server.agent.AgentRuntime;
import io.agentainer.flow.server.agent.AgentStartException;
import io.agentainer.flow.server.agent.PortAllocator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Agents as Docker containers. Images are never pulled: they are built locally ({@code flow
 * images}). With host networking (the default, and the only mode on machines whose traffic must
 * stay on 127.0.0.1) the agent listens on a host port from the configured range; with {@code
 * bridge} the agent listens on port 8080 of its container, published on 127.0.0.1. Every container
 * carries the {@link AgentLabels}; its logs are read before it is removed.
 */
public class DockerRuntime implements AgentRuntime {

  /** The agent's port inside a bridged container. */
  static final int BRIDGE_PORT = 8080;

  private final Supplier<DockerClient> docker;
  private final PortAllocator ports;
  private final String network;
  private final Duration timeout;

  /** Images seen on the engine, and when: asking again for every job costs a daemon call. */
  private final java.util.Map<String, Long> knownImages =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final long KNOWN_FOR_NANOS = 30_000_000_000L;

  public DockerRuntime(
      Supplier<DockerClient> docker, PortAllocator ports, String network, Duration timeout) {
    this.docker = docker;
    this.ports = ports;
    this.network = network;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "docker";
  }

  @Override
  public boolean available() {
    try {
      docker.get().pingCmd().exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public boolean knows(String image) {
    Long seen = knownImages.get(image);
    if (seen != null && System.nanoTime() - seen < KNOWN_FOR_NANOS) {
      return true;
    }
    try {
      docker.get().inspectImageCmd(image).exec();
      knownImages.put(image, System.nanoTime());
      return true;
    } catch (NotFoundException e) {
      knownImages.remove(image);
      return false;
    }
  }

  @Override
  public AgentHandle start(AgentLaunch launch) {
    if (!knows(launch.image())) {
      throw new AgentStartException(
          "image_not_found",
          "image " + launch.image() + " is not on this Docker engine (build it: flow images)",
          false);
    }
    int port = ports.acquire();
    ContainerSetup setup = setup(launch, network, port);
    String containerId = null;
    try {
      CreateContainerCmd create =
          docker
              .get()
              .createContainerCmd(launch.image())
              .withName("agentainer-" + launch.agentId())
              .withEnv(setup.env())
              .withLabels(launch.labels())
              .withHostConfig(setup.hostConfig());
      if (!setup.exposedPorts().isEmpty()) {
        create.withExposedPorts(setup.exposedPorts());
      }
      containerId = create.exec().getId();
      docker.get().startContainerCmd(containerId).exec();
      return new AgentHandle(
          launch.agentId(),
          name(),
          containerId,
          URI.create("http://127.0.0.1:" + port),
          port,
          launch.labels());
    } catch (RuntimeException e) {
      ports.release(port);
      if (containerId != null) {
        remove(containerId);
      }
      throw new AgentStartException(
          "agent_start_failed",
          "cannot start a container of " + launch.image() + ": " + e.getMessage(),
          true,
          e);
    }
  }

  /**
   * How a container is set up to serve as an agent on {@code hostPort} of 127.0.0.1: its
   * environment, the ports it exposes and its host configuration (network and limits).
   */
  record ContainerSetup(List<String> env, List<ExposedPort> exposedPorts, HostConfig hostConfig) {}

  /**
   * With host networking the agent listens on {@code hostPort} itself. On a bridge it listens on
   * {@value #BRIDGE_PORT} on every interface of its container ({@code FLOW_AGENT_HOST=0.0.0.0}: the
   * agent's default, 127.0.0.1, is unreachable from outside the container), and Docker publishes
   * that port on 127.0.0.1:{@code hostPort}.
   */
  static ContainerSetup setup(AgentLaunch launch, String network, int hostPort) {
    boolean host = "host".equals(network);
    List<String> env = new ArrayList<>();
    launch.env().forEach((k, v) -> env.add(k + "=" + v));
    env.add("FLOW_AGENT_PORT=" + (host ? hostPort : BRIDGE_PORT));
    List<ExposedPort> exposed = new ArrayList<>();
    HostConfig hostConfig = HostConfig.newHostConfig().withNetworkMode(network);
    if (!host) {
      env.add("FLOW_AGENT_HOST=0.0.0.0");
      exposed.add(ExposedPort.tcp(BRIDGE_PORT));
      hostConfig.withPortBindings(
          new PortBinding(
              Ports.Binding.bindIpAndPort("127.0.0.1", hostPort), ExposedPort.tcp(BRIDGE_PORT)));
    }
    if (launch.cpus() != null) {
      hostConfig.withNanoCPUs(Math.round(launch.cpus() * 1_000_000_000L));
    }
    if (launch.memoryMb() != null) {
      hostConfig.withMemory(launch.memoryMb() * 1024L * 1024L);
    }
    return new ContainerSetup(List.copyOf(env), List.copyOf(exposed), hostConfig);
  }

  @Override
  public boolean isRunning(AgentHandle agent) {
    try {
      Boolean running = inspect(agent).getState().getRunning();
      return Boolean.TRUE.equals(running);
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public OptionalInt exitCode(AgentHandle agent) {
    try {
      InspectContainerResponse.ContainerState state = inspect(agent).getState();
      if (Boolean.TRUE.equals(state.getRunning()) || state.getExitCodeLong() == null) {
        return OptionalInt.empty();
      }
      return OptionalInt.of(state.getExitCodeLong().intValue());
    } catch (NotFoundException e) {
      return OptionalInt.empty();
    }
  }

  private InspectContainerResponse inspect(AgentHandle agent) {
    return docker.get().inspectContainerCmd(agent.ref()).exec();
  }

  @Override
  public String logs(AgentHandle agent, int maxChars) {
    StringBuilder text = new StringBuilder();
    ResultCallback.Adapter<Frame> collect =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
          }
        };
    try {
      docker
          .get()
          .logContainerCmd(agent.ref())
          .withStdOut(true)
          .withStdErr(true)
          .withTail(2000)
          .exec(collect)
          .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (NotFoundException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return text.length() <= maxChars ? text.toString() : text.substring(text.length() - maxChars);
  }

  @Override
  public void stop(AgentHandle agent) {
    remove(agent.ref());
    ports.release(agent.port());
  }

  private void remove(String containerId) {
    try {
      docker.get().removeContainerCmd(containerId).withForce(true).exec();
    } catch (NotFoundException e) {
      // already gone
    } catch (com.github.dockerjava.api.exception.ConflictException e) {
      // a removal is already in progress (a cancel and the job's own end met)
    }
  }

  @Override
  public List<AgentHandle> listLabelled() {
    List<AgentHandle> agents = new ArrayList<>();
    for (Container c :
        docker
            .get()
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(List.of(AgentLabels.NODE))
            .exec()) {
      Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
      String agentId = labels.get(AgentLabels.AGENT);
      agents.add(
          new AgentHandle(
              agentId == null ? new UUID(0, 0) : UUID.fromString(agentId),
              name(),
              c.getId(),
              null,
              0,
              labels));
    }
    return agents;
  }
}
