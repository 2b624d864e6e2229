package io.agentainer.flow.sdk;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The SDK runs in agents and plain JVMs: JDK (its HTTP server included) and Jackson only. */
@AnalyzeClasses(
    packages = "io.agentainer.flow.sdk",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule noJakartaEe =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("jakarta..", "javax.ws..", "javax.persistence..", "javax.ejb..");

  @ArchTest
  static final ArchRule noServerOrConsoleClasses =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.agentainer.flow.server..", "io.agentainer.flow.console..");

  @ArchTest
  static final ArchRule onlyJdkAndJackson =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages(
              "java..",
              "javax.net..",
              "com.sun.net.httpserver..",
              "com.fasterxml.jackson..",
              "io.agentainer.flow.sdk..");
}
