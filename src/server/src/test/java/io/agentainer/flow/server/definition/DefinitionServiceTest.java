package io.agentainer.flow.server.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentainer.flow.server.api.ApiException;
import io.agentainer.flow.server.testing.PostgresExtension;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Registration and reading of definitions against PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class DefinitionServiceTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00.123456Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  private static String definition(String name, String description) {
    return """
        name: %s
        description: %s
        steps:
          - name: a
            agent: {image: agentainer/example-agent:latest, handler: echo}
        """
        .formatted(name, description);
  }

  private static DefinitionService service(EntityManager em) {
    return new DefinitionService(new JpaDefinitionRepository(em), CLOCK);
  }

  /** Runs {@code work} in a transaction of {@code em}, as {@code @Transactional} would. */
  private static <T> T tx(EntityManager em, Supplier<T> work) {
    em.getTransaction().begin();
    try {
      T result = work.get();
      em.getTransaction().commit();
      return result;
    } catch (RuntimeException e) {
      if (em.getTransaction().isActive()) {
        em.getTransaction().rollback();
      }
      throw e;
    } finally {
      em.clear();
    }
  }

  @Test
  void registersVersionsOneTwoThree(EntityManager em) {
    DefinitionService service = service(em);

    DefinitionService.Registration first =
        tx(em, () -> service.register(definition("wc", "one"), "yaml"));
    DefinitionService.Registration second =
        tx(em, () -> service.register(definition("wc", "two"), "application/yaml"));
    DefinitionService.Registration other =
        tx(em, () -> service.register(definition("other", "x"), "yaml"));

    assertThat(first.created()).isTrue();
    assertThat(first.definition().version()).isEqualTo(1);
    assertThat(first.definition().id()).isNotNull();
    assertThat(second.created()).isTrue();
    assertThat(second.definition().version()).isEqualTo(2);
    assertThat(other.definition().version()).isEqualTo(1);
    assertThat(tx(em, () -> service.get("wc", null).version())).isEqualTo(2);
    assertThat(tx(em, () -> service.get("wc", 1).description())).isEqualTo("one");
    assertThat(tx(em, () -> service.get("wc", 1).createdAt())).isEqualTo(T0);
  }

  @Test
  void anIdenticalDefinitionIsTheLatestVersionNotANewOne(EntityManager em) {
    DefinitionService service = service(em);
    DefinitionService.Registration first =
        tx(em, () -> service.register(Samples.WORDCOUNT_YAML, "yaml"));

    // the same meaning written otherwise: JSON, short durations, other key orders
    DefinitionService.Registration again =
        tx(em, () -> service.register(Samples.WORDCOUNT_JSON, "json"));

    assertThat(again.created()).isFalse();
    assertThat(again.definition().version()).isEqualTo(1);
    assertThat(again.definition().id()).isEqualTo(first.definition().id());
    assertThat(tx(em, () -> service.versions("wordcount"))).hasSize(1);
  }

  @Test
  void goingBackToAnOlderSpecIsANewVersion(EntityManager em) {
    DefinitionService service = service(em);
    tx(em, () -> service.register(definition("wc", "one"), "yaml"));
    tx(em, () -> service.register(definition("wc", "two"), "yaml"));

    DefinitionService.Registration back =
        tx(em, () -> service.register(definition("wc", "one"), "yaml"));

    assertThat(back.created()).isTrue();
    assertThat(back.definition().version()).isEqualTo(3);
  }

  @Test
  void storesTheCanonicalJsonAsJsonbWithItsHash(EntityManager em, DataSource ds)
      throws SQLException {
    DefinitionService service = service(em);
    Definition stored = tx(em, () -> service.register(Samples.WORDCOUNT_YAML, "yaml")).definition();

    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select name, version, description, jsonb_typeof(spec), spec->'steps'->1->>'items',"
                    + " spec_hash, created_at = timestamptz '2026-11-27 10:00:00.123456+00'"
                    + " from definition")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("wordcount");
      assertThat(rs.getInt(2)).isEqualTo(1);
      assertThat(rs.getString(3)).isEqualTo("count words");
      assertThat(rs.getString(4)).isEqualTo("object");
      assertThat(rs.getString(5)).isEqualTo("${results.list.docs}");
      assertThat(rs.getString(6))
          .isEqualTo(
              SpecJson.hash(
                  SpecJson.canonical(DefinitionParser.parse(Samples.WORDCOUNT_YAML, "yaml"))))
          .isEqualTo(stored.specHash());
      assertThat(rs.getBoolean(7)).isTrue();
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void theStoredSpecReadsBackAsTheRegisteredOne(EntityManager em) {
    DefinitionService service = service(em);
    long id = tx(em, () -> service.register(Samples.ALL_KINDS_YAML, "yaml")).definition().id();

    WorkflowSpec spec = tx(em, () -> service.spec(id));

    assertThat(spec).isEqualTo(DefinitionParser.parse(Samples.ALL_KINDS_YAML, "yaml"));
    assertThat(tx(em, () -> service.spec(id))).isSameAs(spec);
    assertThat(tx(em, () -> service.get(id).name())).isEqualTo("all-kinds");
  }

  @Test
  void anInvalidDefinitionStoresNothing(EntityManager em) {
    DefinitionService service = service(em);

    assertThatThrownBy(() -> tx(em, () -> service.register("name: d\nsteps: [{name: a}]", "yaml")))
        .isInstanceOfSatisfying(
            DefinitionException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new Problem(
                            "steps[a].agent", "required for a task step: {image, handler}")));
    assertThat(tx(em, service::count)).isZero();
  }

  @Test
  void specsBuiltInCodeAreRegisteredThroughTheirCanonicalForm(EntityManager em) {
    DefinitionService service = service(em);
    WorkflowSpec spec = DefinitionParser.parse(Samples.WORDCOUNT_YAML, "yaml");

    DefinitionService.Registration coded = tx(em, () -> service.register(spec));
    DefinitionService.Registration parsed =
        tx(em, () -> service.register(Samples.WORDCOUNT_YAML, "yaml"));

    assertThat(coded.created()).isTrue();
    assertThat(parsed.created()).isFalse();
    assertThatThrownBy(
            () ->
                tx(
                    em,
                    () ->
                        service.register(
                            new WorkflowSpec("Bad", null, null, null, null, null, List.of()))))
        .isInstanceOf(DefinitionException.class);
  }

  @Test
  void unknownNamesAndVersionsAre404(EntityManager em) {
    DefinitionService service = service(em);
    tx(em, () -> service.register(definition("wc", "one"), "yaml"));

    for (Runnable lookup :
        List.<Runnable>of(
            () -> tx(em, () -> service.get("nope", null)),
            () -> tx(em, () -> service.get("wc", 2)),
            () -> tx(em, () -> service.versions("nope")),
            () -> tx(em, () -> service.spec(999_999L)))) {
      assertThatThrownBy(lookup::run)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
    assertThat(tx(em, () -> service.find("nope", null))).isEmpty();
  }

  @Test
  void listsTheLatestVersionOfEachNameByName(EntityManager em) {
    DefinitionService service = service(em);
    for (String name : List.of("zeta", "alpha", "mid")) {
      tx(em, () -> service.register(definition(name, "first of " + name), "yaml"));
    }
    tx(em, () -> service.register(definition("alpha", "second of alpha"), "yaml"));
    tx(em, () -> service.register(definition("alpha", "third of alpha"), "yaml"));

    List<Definition> all = tx(em, () -> service.list(0, 10));
    List<Definition> page = tx(em, () -> service.list(1, 1));

    assertThat(all).extracting(Definition::name).containsExactly("alpha", "mid", "zeta");
    assertThat(all).extracting(Definition::version).containsExactly(3, 1, 1);
    assertThat(all.get(0).description()).isEqualTo("third of alpha");
    assertThat(page).extracting(Definition::name).containsExactly("mid");
    assertThat(tx(em, service::count)).isEqualTo(3);
    assertThat(tx(em, () -> service.versions("alpha")))
        .extracting(Definition::version)
        .containsExactly(1, 2, 3);
  }

  @Test
  void concurrentRegistrationsOfOneNameGetVersionsInTurn(EntityManagerFactory emf)
      throws Exception {
    int threads = 2;
    for (int round = 0; round < 10; round++) {
      String name = "race-" + round;
      List<Integer> versions = race(emf, threads, i -> definition(name, "writer " + i));

      assertThat(versions).as("round %d", round).containsExactlyInAnyOrder(1, 2);
    }
  }

  @Test
  void manyWritersOfOneNameEachGetTheirOwnVersion(EntityManagerFactory emf) throws Exception {
    List<Integer> versions = race(emf, 6, i -> definition("crowd", "writer " + i));

    assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
  }

  @Test
  void concurrentIdenticalRegistrationsMakeOneVersion(EntityManagerFactory emf) throws Exception {
    List<Integer> versions = race(emf, 4, i -> definition("same", "identical"));

    assertThat(versions).containsExactly(1, 1, 1, 1);
    EntityManager em = emf.createEntityManager();
    try {
      assertThat(tx(em, () -> service(em).versions("same"))).hasSize(1);
    } finally {
      em.close();
    }
  }

  /**
   * {@code threads} registrations at once, each in its own transaction, all started before any
   * takes the name's lock; the versions they got.
   */
  private static List<Integer> race(
      EntityManagerFactory emf, int threads, java.util.function.IntFunction<String> text)
      throws Exception {
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int writer = i;
        results.add(
            pool.submit(
                () -> {
                  EntityManager em = emf.createEntityManager();
                  try {
                    DefinitionService service = service(em);
                    em.getTransaction().begin();
                    try {
                      // every transaction has begun and read nothing yet
                      start.await(10, TimeUnit.SECONDS);
                      int version =
                          service.register(text.apply(writer), "yaml").definition().version();
                      em.getTransaction().commit();
                      return version;
                    } finally {
                      if (em.getTransaction().isActive()) {
                        em.getTransaction().rollback();
                      }
                    }
                  } finally {
                    em.close();
                  }
                }));
      }
      List<Integer> versions = new ArrayList<>();
      for (Future<Integer> result : results) {
        versions.add(result.get(30, TimeUnit.SECONDS));
      }
      return versions;
    } finally {
      pool.shutdownNow();
    }
  }
}
