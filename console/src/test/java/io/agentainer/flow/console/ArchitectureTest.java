package io.agentainer.flow.console;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.vaadin.cdi.annotation.RouteScoped;
import com.vaadin.cdi.annotation.UIScoped;
import com.vaadin.flow.component.dependency.CssImport;
import com.vaadin.flow.component.dependency.JavaScript;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLayout;
import com.vaadin.flow.theme.Theme;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's boundaries: a client of the public API, never of the server's classes. */
class ArchitectureTest {

  private static JavaClasses console;

  @BeforeAll
  static void importConsole() {
    console =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.agentainer.flow.console");
  }

  @Test
  void consoleDoesNotDependOnServerClasses() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.agentainer.flow.console..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.agentainer.flow.server..")
            .because("the console is a client of the public REST API, through the SDK");
    rule.check(console);
  }

  @Test
  void apiPackageKnowsNothingOfVaadin() {
    // but Vaadin CDI's scope annotations: they only say how long a bean lives
    noClasses()
        .that()
        .resideInAPackage("io.agentainer.flow.console.api..")
        .should()
        .dependOnClassesThat(
            resideInAnyPackage("com.vaadin..", "io.agentainer.flow.console.ui..")
                .and(not(resideInAPackage("com.vaadin.cdi.annotation"))))
        .check(console);
  }

  @Test
  void viewsReachTheApiOnlyThroughTheApiPackage() {
    noClasses()
        .that()
        .resideInAPackage("io.agentainer.flow.console.ui..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("java.net.http..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.agentainer.flow.sdk.client.FlowClient")
        .check(console);
  }

  @Test
  void consoleAddsNothingToTheFrontEndBundle() {
    // any of these makes build-frontend rebuild the bundle with npm, which fails here: style with
    // the runtime stylesheet (@StyleSheet) and Lumo instead
    noClasses()
        .should()
        .beAnnotatedWith(CssImport.class)
        .orShould()
        .beAnnotatedWith(CssImport.Container.class)
        .orShould()
        .beAnnotatedWith(JsModule.class)
        .orShould()
        .beAnnotatedWith(JsModule.Container.class)
        .orShould()
        .beAnnotatedWith(JavaScript.class)
        .orShould()
        .beAnnotatedWith(JavaScript.Container.class)
        .orShould()
        .beAnnotatedWith(NpmPackage.class)
        .orShould()
        .beAnnotatedWith(NpmPackage.Container.class)
        .orShould()
        .beAnnotatedWith(Theme.class)
        .because("the console must run on Vaadin's prebuilt production bundle")
        .check(console);
  }

  @Test
  void routesAndLayoutsHaveAVaadinCdiScope() {
    // a scope decides how long a view lives; without one it would be a new @Dependent per use
    classes()
        .that()
        .areAnnotatedWith(Route.class)
        .or()
        .implement(RouterLayout.class)
        .should()
        .beAnnotatedWith(RouteScoped.class)
        .orShould()
        .beAnnotatedWith(UIScoped.class)
        .check(console);
  }
}
