package io.agentainer.flow.server.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.server.common.JsonText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What operators chart: runs started and finished per time bucket, runs and average duration by
 * definition, and the latest failures. Counted by PostgreSQL over the run table's indexes.
 */
@ApplicationScoped
public class RunStatistics {

  /** The most buckets one answer holds. */
  public static final int MAX_BUCKETS = 500;

  /** The most definitions and failures one answer lists. */
  static final int MAX_ROWS = 20;

  /** One time bucket {@code [start, start + bucketSeconds)}. */
  public record Bucket(
      Instant start, long started, long succeeded, long failed, long cancelled, long timedOut) {}

  /** One definition's runs created in the period: how many, how they ended, how long they took. */
  public record ByDefinition(
      String definition,
      long runs,
      long succeeded,
      long failed,
      long running,
      Long averageDurationMs,
      Long maxDurationMs) {}

  /** A run that failed or timed out, newest first. */
  public record Failure(
      UUID id,
      String definition,
      int version,
      String status,
      Instant finishedAt,
      String errorType,
      String errorMessage) {}

  /** The answer of {@code GET /api/workflows/stats}. */
  public record Stats(
      Instant from,
      Instant to,
      long bucketSeconds,
      List<Bucket> buckets,
      List<ByDefinition> definitions,
      List<Failure> recentFailures) {}

  @Inject EntityManager em;

  @Transactional
  public Stats stats(Instant from, Instant to, int bucketCount) {
    long seconds =
        Math.max(1, (Duration.between(from, to).toSeconds() + bucketCount - 1) / bucketCount);
    List<long[]> counts = new ArrayList<>();
    for (int i = 0; i < bucketCount; i++) {
      counts.add(new long[5]);
    }
    for (Object[] row :
        rows(
            "select floor(extract(epoch from (created_at - ?1)) / ?2)::int, count(*) from run"
                + " where created_at >= ?1 and created_at < ?3 group by 1",
            at(from),
            seconds,
            at(to))) {
      add(counts, row[0], 0, row[1]);
    }
    for (Object[] row :
        rows(
            "select floor(extract(epoch from (finished_at - ?1)) / ?2)::int, status, count(*)"
                + " from run where finished_at >= ?1 and finished_at < ?3 group by 1, 2",
            at(from),
            seconds,
            at(to))) {
      int column =
          switch ((String) row[1]) {
            case "SUCCEEDED" -> 1;
            case "FAILED" -> 2;
            case "CANCELLED" -> 3;
            default -> 4;
          };
      add(counts, row[0], column, row[2]);
    }
    List<Bucket> buckets = new ArrayList<>();
    for (int i = 0; i < bucketCount; i++) {
      long[] c = counts.get(i);
      buckets.add(new Bucket(from.plusSeconds(i * seconds), c[0], c[1], c[2], c[3], c[4]));
    }
    return new Stats(from, to, seconds, buckets, byDefinition(from, to), recentFailures(from, to));
  }

  private List<ByDefinition> byDefinition(Instant from, Instant to) {
    List<ByDefinition> list = new ArrayList<>();
    for (Object[] row :
        rows(
            "select d.name, count(*),"
                + " count(*) filter (where r.status = 'SUCCEEDED'),"
                + " count(*) filter (where r.status in ('FAILED', 'TIMED_OUT')),"
                + " count(*) filter (where r.status in ('PENDING', 'RUNNING')),"
                + " round(avg(extract(epoch from (r.finished_at - r.started_at)) * 1000)"
                + "   filter (where r.finished_at is not null and r.started_at is not null)),"
                + " round(max(extract(epoch from (r.finished_at - r.started_at)) * 1000))"
                + " from run r join definition d on d.id = r.definition_id"
                + " where r.created_at >= ?1 and r.created_at < ?2"
                + " group by d.name order by count(*) desc, d.name limit ?3",
            at(from),
            at(to),
            MAX_ROWS)) {
      list.add(
          new ByDefinition(
              (String) row[0],
              number(row[1]),
              number(row[2]),
              number(row[3]),
              number(row[4]),
              row[5] == null ? null : number(row[5]),
              row[6] == null ? null : number(row[6])));
    }
    return list;
  }

  private List<Failure> recentFailures(Instant from, Instant to) {
    List<Failure> list = new ArrayList<>();
    for (Object[] row :
        rows(
            "select r.id, d.name, d.version, r.status, r.finished_at, r.error::text"
                + " from run r join definition d on d.id = r.definition_id"
                + " where r.status in ('FAILED', 'TIMED_OUT')"
                + " and r.finished_at >= ?1 and r.finished_at < ?2"
                + " order by r.finished_at desc, r.id limit ?3",
            at(from),
            at(to),
            MAX_ROWS)) {
      JsonNode error = row[5] == null ? null : JsonText.tree((String) row[5]);
      list.add(
          new Failure(
              JpaRunRepository.toUuid(row[0]),
              (String) row[1],
              ((Number) row[2]).intValue(),
              (String) row[3],
              instant(row[4]),
              error == null ? null : error.path("type").asText(null),
              error == null ? null : error.path("message").asText(null)));
    }
    return list;
  }

  private static void add(List<long[]> counts, Object bucket, int column, Object count) {
    int i = ((Number) bucket).intValue();
    if (i >= 0 && i < counts.size()) {
      counts.get(i)[column] += number(count);
    }
  }

  @SuppressWarnings("unchecked")
  private List<Object[]> rows(String sql, Object... params) {
    var query = em.createNativeQuery(sql);
    for (int i = 0; i < params.length; i++) {
      query.setParameter(i + 1, params[i]);
    }
    return query.getResultList();
  }

  private static OffsetDateTime at(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static long number(Object value) {
    return ((Number) value).longValue();
  }

  private static Instant instant(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    return Instant.parse(value.toString());
  }
}
