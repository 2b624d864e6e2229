package io.agentainer.flow.server.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The server WAR that Maven built, for the Arquillian tests to deploy. */
final class Deployments {

  private Deployments() {}

  static WebArchive serverWar() {
    File war = new File(System.getProperty("flow.test.war", "target/agentainer-flow-server.war"));
    if (!war.isFile()) {
      throw new IllegalStateException("build the WAR first (mvn package): " + war);
    }
    return ShrinkWrap.createFromZipFile(WebArchive.class, war);
  }
}
