package io.agentainer.flow.server.node;

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
import java.time.Clock;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This server's node: registered when the server starts, kept alive by a heartbeat every {@code
 * FLOW_NODE_HEARTBEAT}, marked stopped on a clean shutdown.
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
    nodeId = host + "-" + UUID.randomUUID().toString().substring(0, 8);
    String version = NodeRegistry.class.getPackage().getImplementationVersion();
    nodes.add(Node.start(nodeId, host, ProcessHandle.current().pid(), version, clock));
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

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
