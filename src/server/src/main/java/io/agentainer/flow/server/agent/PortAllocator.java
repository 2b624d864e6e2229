package io.agentainer.flow.server.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Host ports for agents under host networking, from a configured range: a port is handed out only
 * if nothing listens on it and it is not already handed out; it is released when its agent stops.
 */
public class PortAllocator {

  private final int first;
  private final int last;
  private final Set<Integer> taken = new HashSet<>();
  private int next;

  public PortAllocator(int first, int last) {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException("agent ports: invalid range " + first + "-" + last);
    }
    this.first = first;
    this.last = last;
    this.next = first;
  }

  /** Parses {@code 20000-29999}. */
  public static PortAllocator of(String range) {
    String[] parts = range.trim().split("-");
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "FLOW_AGENT_PORTS: expected first-last, got '" + range + "'");
    }
    try {
      return new PortAllocator(
          Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "FLOW_AGENT_PORTS: expected first-last, got '" + range + "'");
    }
  }

  /**
   * A free port.
   *
   * @throws AgentStartException when every port of the range is in use
   */
  public synchronized int acquire() {
    int size = last - first + 1;
    for (int i = 0; i < size; i++) {
      int port = next;
      next = next == last ? first : next + 1;
      if (!taken.contains(port) && free(port)) {
        taken.add(port);
        return port;
      }
    }
    throw new AgentStartException(
        "no_agent_port", "every agent port " + first + "-" + last + " is in use", true);
  }

  public synchronized void release(int port) {
    taken.remove(port);
  }

  public synchronized int inUse() {
    return taken.size();
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
