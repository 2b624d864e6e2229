package io.agentainer.flow.server.infra.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.agentainer.flow.server.config.FlowSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Docker engine ({@code FLOW_DOCKER_HOST}) through docker-java's httpclient5 transport, with at
 * most {@code FLOW_DOCKER_MAX_CONNECTIONS} connections and {@code FLOW_DOCKER_TIMEOUT} on every
 * call. Created on first use: no engine is no reason not to start, health says so.
 */
@ApplicationScoped
public class DockerEngine {

  private static final Logger LOG = Logger.getLogger(DockerEngine.class.getName());

  private final FlowSettings settings;
  private volatile DockerClient client;

  @Inject
  public DockerEngine(FlowSettings settings) {
    this.settings = settings;
  }

  /** For CDI's proxy. */
  protected DockerEngine() {
    this.settings = null;
  }

  /** The shared client. */
  public DockerClient client() {
    DockerClient current = client;
    if (current == null) {
      synchronized (this) {
        current = client;
        if (current == null) {
          current =
              create(
                  settings.dockerHost(), settings.dockerMaxConnections(), settings.dockerTimeout());
          client = current;
        }
      }
    }
    return current;
  }

  /** Pings the engine and returns its version, e.g. {@code Docker 28.2.2 (API 1.50)}. */
  public String ping() {
    DockerClient docker = client();
    try {
      docker.pingCmd().exec();
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new IllegalStateException(
          "no Docker engine answers at " + settings.dockerHost() + " (" + cause.getMessage() + ")",
          e);
    }
    Version version = docker.versionCmd().exec();
    return "Docker " + version.getVersion() + " (API " + version.getApiVersion() + ")";
  }

  @PreDestroy
  void close() {
    if (client != null) {
      try {
        client.close();
      } catch (IOException e) {
        LOG.log(Level.FINE, "closing the Docker client", e);
      }
    }
  }

  static DockerClient create(String host, int maxConnections, Duration timeout) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(URI.create(host))
            .maxConnections(maxConnections)
            .connectionTimeout(timeout)
            .responseTimeout(timeout)
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** Agents as containers on this engine. */
  @jakarta.enterprise.inject.Produces
  @jakarta.inject.Singleton
  DockerRuntime dockerRuntime(io.agentainer.flow.server.agent.PortAllocator ports) {
    return new DockerRuntime(
        this::client, ports, settings.dockerNetwork(), settings.dockerTimeout());
  }
}
