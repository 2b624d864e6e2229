package io.agentainer.flow.server;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API. The WAR's context is {@code /api}, so resources sit at {@code /api/...}. */
@ApplicationPath("/")
public class FlowApplication extends Application {}
