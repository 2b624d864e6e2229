package io.agentainer.flow.sdk.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The agent runtime and the example agent run inside minimal images: the JDK (with its HTTP server
 * and client) and Jackson only. The runtime knows nothing of the SDK's client or workflow model;
 * the example agent also serves the example workflows, so it uses the SDK's workflow layer (itself
 * the JDK and Jackson only).
 */
@AnalyzeClasses(
    packages = {"io.agentainer.flow.sdk.agent", "io.agentainer.flow.sdk.example"},
    importOptions = ImportOption.DoNotIncludeTests.class)
class AgentArchitectureTest {

  @ArchTest
  static final ArchRule jdkAndJacksonOnly =
      noClasses()
          .that()
          .resideInAPackage("io.agentainer.flow.sdk.agent..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages(
              "java..",
              "com.sun.net.httpserver..",
              "com.fasterxml.jackson..",
              "io.agentainer.flow.sdk.agent..");

  @ArchTest
  static final ArchRule theExampleUsesTheSdkOnly =
      noClasses()
          .that()
          .resideInAPackage("io.agentainer.flow.sdk.example..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages(
              "java..",
              "com.sun.net.httpserver..",
              "com.fasterxml.jackson..",
              "io.agentainer.flow.sdk..");

  @ArchTest
  static final ArchRule theRuntimeDoesNotKnowTheExample =
      noClasses()
          .that()
          .resideInAPackage("io.agentainer.flow.sdk.agent..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.agentainer.flow.sdk.example..");
}
