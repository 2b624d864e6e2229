package io.agentainer.flow.server.node;

import io.agentainer.flow.server.common.ServerVersion;
import io.agentainer.flow.server.config.FlowSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This server's node ({@code FLOW_NODE_ID}, by default stable per installation): registered when
 * the server starts, kept alive by a heartbeat every {@code FLOW_NODE_HEARTBEAT}, marked stopped on
 * a clean shutdown.
 */
@Singleton
@Startup
@DependsOn("DatabaseMigrator")
public class NodeRegistry {

  private static final Logger LOG = Logger.getLogger(NodeRegistry.class.getName());

  @Inject NodeRepository nodes;
  @Inject FlowSettings settings;
  @Inject Clock clock;
  @Resource TimerService timers;

  private String nodeId;

  @PostConstruct
  void register() {
    String host = hostName();
    nodeId = settings.nodeId().orElseGet(() -> defaultId(host));
    String version = ServerVersion.get();
    long pid = ProcessHandle.current().pid();
    nodes
        .find(nodeId)
        .ifPresentOrElse(
            node -> node.restart(host, pid, version, clock),
            () -> nodes.add(Node.start(nodeId, host, pid, version, clock)));
    long every = settings.nodeHeartbeat().toMillis();
    timers.createIntervalTimer(every, every, new TimerConfig("node-heartbeat", false));
    LOG.info(() -> "node " + nodeId + " registered");
  }

  @Timeout
  void heartbeat() {
    nodes.find(nodeId).ifPresent(node -> node.heartbeat(clock));
  }

  @PreDestroy
  void unregister() {
    try {
      nodes.find(nodeId).ifPresent(node -> node.stop(clock));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "node " + nodeId + " could not be marked stopped", e);
    }
  }

  /** The id of this server's node. */
  public String nodeId() {
    return nodeId;
  }

  /**
   * The same id every time this installation starts (the host and a digest of WildFly's server
   * folder), so that a restarted node recognises the jobs and agents of its earlier life.
   */
  static String defaultId(String host) {
    String base = System.getProperty("jboss.server.base.dir", System.getProperty("user.dir"));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(base.getBytes(StandardCharsets.UTF_8));
      return host + "-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
