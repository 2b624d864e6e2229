package io.agentainer.flow.console.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WARs the console's tests deploy: the server's (built earlier in the reactor) and ours. */
final class ConsoleDeployments {

  private ConsoleDeployments() {}

  static WebArchive server() {
    return war("flow.test.server.war", "../src/server/target/agentainer-flow-server.war");
  }

  static WebArchive console() {
    return war("flow.test.war", "target/agentainer-flow-console.war");
  }

  private static WebArchive war(String property, String fallback) {
    File war = new File(System.getProperty(property, fallback));
    if (!war.isFile()) {
      throw new IllegalStateException("build the WAR first (mvn package): " + war);
    }
    return ShrinkWrap.createFromZipFile(WebArchive.class, war);
  }
}
