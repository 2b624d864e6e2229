package io.agentainer.flow.server.node;

import io.agentainer.flow.server.api.Page;
import io.agentainer.flow.server.api.PageRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

/** {@code GET /api/nodes}: the server nodes that have run against this database. */
@Path("nodes")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
public class NodeResource {

  @Inject NodeRepository nodes;

  /** A node as the API shows it. */
  public record NodeView(
      String id,
      String host,
      Long pid,
      String version,
      String status,
      Instant startedAt,
      Instant heartbeatAt,
      Instant stoppedAt) {
    static NodeView of(Node n) {
      return new NodeView(
          n.id(),
          n.host(),
          n.pid(),
          n.version(),
          n.status().name(),
          n.startedAt(),
          n.heartbeatAt(),
          n.stoppedAt());
    }
  }

  @GET
  public Page<NodeView> list(@BeanParam PageRequest page) {
    page.validate();
    return new Page<>(
        nodes.list(page.offset(), page.size()).stream().map(NodeView::of).toList(),
        nodes.count(),
        page.page(),
        page.size());
  }
}
