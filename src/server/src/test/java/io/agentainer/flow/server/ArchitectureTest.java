package io.agentainer.flow.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The boundaries of DESIGN section 1 inside the server. */
@AnalyzeClasses(
    packages = "io.agentainer.flow.server",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** The domain packages: entities, repositories and services. */
  static final String[] DOMAIN = {
    "..server.common..",
    "..server.config..",
    "..server.definition..",
    "..server.run..",
    "..server.job..",
    "..server.agent..",
    "..server.pool..",
    "..server.state..",
    "..server.schedule..",
    "..server.event..",
    "..server.node..",
    "..server.telemetry.."
  };

  /** REST resources and JAX-RS providers live beside their domain and may use JAX-RS. */
  static final DescribedPredicate<JavaClass> REST_ADAPTER =
      DescribedPredicate.describe(
          "a REST resource or provider",
          c ->
              c.getSimpleName().endsWith("Resource")
                  || c.getEnclosingClass()
                      .map(e -> e.getSimpleName().endsWith("Resource"))
                      .orElse(false)
                  || c.isAnnotatedWith("jakarta.ws.rs.ext.Provider"));

  @ArchTest
  static final ArchRule domainIsFreeOfJaxRs =
      noClasses()
          .that()
          .resideInAnyPackage(DOMAIN)
          .and(DescribedPredicate.not(REST_ADAPTER))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("jakarta.ws.rs..");

  @ArchTest
  static final ArchRule onlyTheRedisAdapterUsesJedis =
      noClasses()
          .that()
          .resideOutsideOfPackage("..server.infra.redis..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("redis.clients..");

  @ArchTest
  static final ArchRule onlyTheDockerAdapterUsesDockerJava =
      noClasses()
          .that()
          .resideOutsideOfPackage("..server.infra.docker..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.github.dockerjava..");

  @ArchTest
  static final ArchRule domainDoesNotReachIntoTheRestLayer =
      noClasses()
          .that()
          .resideInAnyPackage(DOMAIN)
          .and(DescribedPredicate.not(REST_ADAPTER))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("..server.health..", "..server.security..");
}
