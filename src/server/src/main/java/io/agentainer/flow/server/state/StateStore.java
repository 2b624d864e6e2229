package io.agentainer.flow.server.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentainer.flow.server.api.ApiException;
import io.agentainer.flow.server.api.Page;
import io.agentainer.flow.server.common.Unavailable;
import io.agentainer.flow.server.config.FlowSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The state of runs (DESIGN section 5). PostgreSQL is the record: every change is a {@code
 * state_history} row committed before the change is acknowledged, and a key's current value is its
 * {@code state_entry} (the value as of its checkpoint, the history id it includes) folded with the
 * history rows after that checkpoint.
 *
 * <p>Two kinds of change: <b>shared</b> ones (a whole-number increment, an append) only add a
 * history row, so any number of them run at once on one key; <b>exclusive</b> ones (put, delete,
 * compare-and-swap, add-to-set, a decimal increment, a checkpoint) read the current value, decide,
 * and write the entry with its history row. A PostgreSQL advisory lock per key, shared or
 * exclusive, keeps the two apart. Whole-number increments get their new value from a {@link
 * HotCounters hot counter} (Redis) instead of summing rows; when Redis is unreachable or in doubt
 * the answer comes from PostgreSQL, so Redis being down never loses or refuses a change.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class StateStore {

  private static final Logger LOG = Logger.getLogger(StateStore.class.getName());

  public static final int MAX_KEY_LENGTH = 512;

  /** Names that are paths of the state API, so no key may take them. */
  static final java.util.Set<String> RESERVED_KEYS = java.util.Set.of("history", "export", "stats");

  @Inject DataSource dataSource;
  @Inject HotCounters hot;
  @Inject FlowSettings settings;
  @Inject Clock clock;
  @Inject StateBlobs blobs;
  @Inject DirtyKeys dirty;

  /**
   * True until hot counters are known to agree with the record (at start: this node may have
   * crashed).
   */
  private volatile boolean hotInDoubt = true;

  /** Who makes a change: the job whose token it carries (or null), and its idempotency key. */
  public record Actor(UUID jobId, String opId) {
    public static final Actor OPERATOR = new Actor(null, null);
  }

  /** The outcome of a compare-and-swap: whether it swapped, and the key's value after it. */
  public record Swap(boolean swapped, JsonNode value) {}

  /** The size of a run's state. */
  public record Stats(long keys, long bytes, long historyRows, long largeValues) {}

  // ---- reads -----------------------------------------------------------------------------------

  /** The key's current value; empty when absent. */
  public Optional<JsonNode> get(UUID run, String key) {
    checkKey(key);
    return read(c -> Optional.ofNullable(current(c, run, key).value()));
  }

  /** Every key's current value, all as of one moment. */
  public Map<String, JsonNode> snapshot(UUID run) {
    return read(c -> snapshot(c, run));
  }

  /**
   * Every key's current value, read on {@code c} within the caller's transaction (the engine's,
   * which must not wait for a second connection while it holds a run).
   */
  public Map<String, JsonNode> snapshot(Connection c, UUID run) {
    try {
      {
        Map<String, Current> entries = new TreeMap<>();
        try (PreparedStatement ps =
            c.prepareStatement(
                "select key, value::text, value_type, blob_id, checkpoint_history_id"
                    + " from state_entry where run_id = ?")) {
          ps.setObject(1, run);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              entries.put(rs.getString(1), entry(rs, 2));
            }
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "select h.key, h.id, h.op, h.value::text, h.delta, h.blob_id"
                    + " from state_history h join state_entry e"
                    + " on e.run_id = h.run_id and e.key = h.key"
                    + " where h.run_id = ? and h.id > e.checkpoint_history_id order by h.id")) {
          ps.setObject(1, run);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Current entry = entries.get(rs.getString(1));
              if (entry != null) {
                entry.pending.add(pendingRow(rs, 2));
              }
            }
          }
        }
        Map<String, JsonNode> state = new TreeMap<>();
        for (Map.Entry<String, Current> e : entries.entrySet()) {
          JsonNode value = e.getValue().value();
          if (value != null) {
            state.put(e.getKey(), value);
          }
        }
        return state;
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** The state as it was at {@code at}, rebuilt from the history; {@code key} null for all. */
  public Map<String, JsonNode> at(UUID run, String key, Instant at) {
    if (key != null) {
      checkKey(key);
    }
    return read(
        c -> {
          Map<String, JsonNode> state = new TreeMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select key, id, op, value::text, delta, blob_id from state_history"
                      + " where run_id = ? and at <= ?"
                      + (key == null ? "" : " and key = ?")
                      + " order by id")) {
            ps.setObject(1, run);
            ps.setObject(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            if (key != null) {
              ps.setString(3, key);
            }
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                Pending row = pendingRow(rs, 2);
                JsonNode after =
                    StateValues.apply(state.get(rs.getString(1)), row.op, row.value(c), row.delta);
                if (after == null) {
                  state.remove(rs.getString(1));
                } else {
                  state.put(rs.getString(1), after);
                }
              }
            }
          }
          return state;
        });
  }

  /** The run's changes in the order they happened, optionally of one key and within [from, to). */
  public Page<StateChange> history(
      UUID run, String key, Instant from, Instant to, int page, int size) {
    if (key != null) {
      checkKey(key);
    }
    StringBuilder where = new StringBuilder(" where run_id = ?");
    List<Object> params = new ArrayList<>();
    params.add(run);
    if (key != null) {
      where.append(" and key = ?");
      params.add(key);
    }
    if (from != null) {
      where.append(" and at >= ?");
      params.add(OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
    }
    if (to != null) {
      where.append(" and at < ?");
      params.add(OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
    }
    return read(
        c -> {
          long total;
          try (PreparedStatement ps =
              c.prepareStatement("select count(*) from state_history" + where)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              total = rs.getLong(1);
            }
          }
          List<StateChange> items = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select id, key, op, value::text, delta, blob_id, job_id, at from state_history"
                      + where
                      + " order by id limit ? offset ?")) {
            int n = bind(ps, params);
            ps.setInt(n++, size);
            ps.setLong(n, (long) page * size);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                items.add(change(c, rs));
              }
            }
          }
          return new Page<>(items, total, page, size);
        });
  }

  /**
   * Writes {@code {workflowId, exportedAt, state, history}} to {@code out}: the snapshot, then
   * every history row, read with a cursor so that long histories are not held in memory.
   */
  public void export(UUID run, OutputStream out) {
    Map<String, JsonNode> state = snapshot(run);
    read(
        c -> {
          try (var json = StateValues.JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("workflowId", run.toString());
            json.writeStringField("exportedAt", clock.instant().toString());
            json.writeFieldName("state");
            StateValues.JSON.writeTree(json, StateValues.JSON.valueToTree(state));
            json.writeArrayFieldStart("history");
            try (PreparedStatement ps =
                c.prepareStatement(
                    "select id, key, op, value::text, delta, blob_id, job_id, at"
                        + " from state_history where run_id = ? order by id")) {
              ps.setObject(1, run);
              ps.setFetchSize(500);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  StateValues.JSON.writeValue(json, view(change(c, rs)));
                }
              }
            }
            json.writeEndArray();
            json.writeEndObject();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return null;
        });
  }

  /** A history row as the API shows it. */
  public static Map<String, Object> view(StateChange change) {
    Map<String, Object> view = new java.util.LinkedHashMap<>();
    view.put("id", change.id());
    view.put("key", change.key());
    view.put("op", change.op().name());
    view.put("value", change.value());
    view.put("delta", change.delta() == null ? null : StateValues.number(change.delta()));
    view.put("jobId", change.jobId());
    view.put("at", change.at().toString());
    return view;
  }

  /**
   * Streams a value kept out of line straight from its compressed form when the key has no changes
   * after its checkpoint; empty when the value is small, absent, or must be folded.
   */
  public Optional<StateBlobs.Blob> largeValue(UUID run, String key) {
    checkKey(key);
    return read(
        c -> {
          Current current = current(c, run, key);
          if (current.blobId == null || !current.pending.isEmpty()) {
            return Optional.empty();
          }
          return Optional.of(blobs.load(c, current.blobId));
        });
  }

  /** How big the run's state is. */
  public Stats stats(UUID run) {
    return read(
        c -> {
          String sql =
              "select (select count(*) from state_entry where run_id = ?1),"
                  + " (select coalesce(sum(pg_column_size(value)), 0) from state_entry"
                  + "   where run_id = ?1)"
                  + "  + (select coalesce(sum(length(data)), 0) from state_blob b"
                  + "   where b.run_id = ?1 and exists (select 1 from state_entry e"
                  + "   where e.blob_id = b.id)),"
                  + " (select count(*) from state_history where run_id = ?1),"
                  + " (select count(*) from state_entry where run_id = ?1"
                  + "   and blob_id is not null)";
          try (PreparedStatement ps = c.prepareStatement(sql.replace("?1", "?"))) {
            for (int i = 1; i <= 5; i++) {
              ps.setObject(i, run);
            }
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new Stats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
          }
        });
  }

  // ---- changes ---------------------------------------------------------------------------------

  /** Sets the key to {@code value}. */
  public JsonNode put(UUID run, String key, StateInput.Value value, Actor actor) {
    checkKey(key);
    return exclusive(
        run,
        key,
        (c, current) -> {
          if (replayed(c, run, actor)) {
            return current.value();
          }
          Long blobId = value.isLarge() ? blobs.store(c, run, value, clock.instant()) : null;
          JsonNode inline = value.isLarge() ? null : value.inline();
          long id = history(c, run, key, StateOp.PUT, inline, null, blobId, actor);
          writeEntry(c, run, key, inline, value.type(), blobId, id);
          forgetHot(run, key);
          return inline;
        });
  }

  /** Removes the key; false when it was absent. */
  public boolean delete(UUID run, String key, Actor actor) {
    checkKey(key);
    return exclusive(
        run,
        key,
        (c, current) -> {
          if (replayed(c, run, actor)) {
            return true;
          }
          if (!current.exists) {
            return false;
          }
          history(c, run, key, StateOp.DELETE, null, null, null, actor);
          try (PreparedStatement ps =
              c.prepareStatement("delete from state_entry where run_id = ? and key = ?")) {
            ps.setObject(1, run);
            ps.setString(2, key);
            ps.executeUpdate();
          }
          forgetHot(run, key);
          return true;
        });
  }

  /**
   * Adds {@code by} to the number at the key (an absent key counts from 0).
   *
   * @return the value after this increment
   */
  public JsonNode increment(UUID run, String key, BigDecimal by, Actor actor) {
    checkKey(key);
    if (settings.stateHotCountersInRedis() && !hotInDoubt && StateValues.isLong(by)) {
      Optional<JsonNode> value = sharedIncrement(run, key, by.longValueExact(), actor);
      if (value.isPresent()) {
        return value.get();
      }
    }
    return exclusive(
        run,
        key,
        (c, current) -> {
          if (replayed(c, run, actor)) {
            return current.value();
          }
          requireType(current, "number", "increment", key);
          JsonNode after = StateValues.apply(current.value(), StateOp.INCREMENT, null, by);
          long id = history(c, run, key, StateOp.INCREMENT, null, by, null, actor);
          writeEntry(c, run, key, after, "number", null, id);
          forgetHot(run, key);
          return after;
        });
  }

  /** Appends {@code element} to the list at the key (an absent key starts as an empty list). */
  public void append(UUID run, String key, JsonNode element, Actor actor) {
    checkKey(key);
    write(
        c -> {
          lock(c, run, key, true);
          String type = ensureEntry(c, run, key, "array");
          if (!type.equals("array")) {
            throw typeMismatch(key, type, "append", "a list");
          }
          // a replayed append (its idempotency key was used) adds nothing
          insertHistory(c, run, key, StateOp.APPEND, element, null, null, actor);
          return null;
        });
    dirty.mark(run, key);
  }

  /** Adds {@code element} to the list at the key unless an equal one is there. */
  public boolean addToSet(UUID run, String key, JsonNode element, Actor actor) {
    checkKey(key);
    return exclusive(
        run,
        key,
        (c, current) -> {
          if (replayed(c, run, actor)) {
            return true;
          }
          requireType(current, "array", "add to set", key);
          JsonNode list = current.value();
          if (list != null && StateValues.contains(list, element)) {
            return false;
          }
          JsonNode after = StateValues.apply(list, StateOp.ADD_TO_SET, element, null);
          long id = history(c, run, key, StateOp.ADD_TO_SET, element, null, null, actor);
          writeEntry(c, run, key, after, "array", null, id);
          return true;
        });
  }

  /** Sets the key to {@code value} if its value is {@code expected} (null: absent). */
  public Swap compareAndSwap(UUID run, String key, JsonNode expected, JsonNode value, Actor actor) {
    checkKey(key);
    return exclusive(
        run,
        key,
        (c, current) -> {
          if (replayed(c, run, actor)) {
            return new Swap(true, current.value());
          }
          JsonNode now = current.value();
          if (!StateValues.same(expected, now)) {
            return new Swap(false, now);
          }
          long id = history(c, run, key, StateOp.COMPARE_AND_SWAP, value, null, null, actor);
          writeEntry(c, run, key, value, StateValues.type(value), null, id);
          forgetHot(run, key);
          return new Swap(true, value);
        });
  }

  // ---- upkeep ----------------------------------------------------------------------------------

  /**
   * Folds the history rows after a key's checkpoint into its entry, so reads stay short. The value
   * does not change, so hot counters stay as they are.
   *
   * @return how many rows were folded
   */
  public int checkpoint(UUID run, String key) {
    return exclusive(
        run,
        key,
        (c, current) -> {
          if (current.pending.isEmpty() || !current.exists) {
            return 0;
          }
          JsonNode value = current.value();
          long last = current.pending.get(current.pending.size() - 1).id;
          writeEntry(c, run, key, value, StateValues.type(value), null, last);
          return current.pending.size();
        });
  }

  /** Folds every key that took shared changes since the last time. */
  public int checkpointDirty() {
    int folded = 0;
    for (DirtyKeys.RunKey k : dirty.drain()) {
      try {
        folded += checkpoint(k.run(), k.key());
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "cannot checkpoint state key " + k.key() + "; later", e);
        dirty.mark(k.run(), k.key());
      }
    }
    return folded;
  }

  /**
   * Drops every hot counter if they may disagree with the record (this node started, possibly after
   * a crash, or Redis could not be reached). Called by the node's heartbeat.
   */
  public void settleHotCounters() {
    if (!hotInDoubt || !settings.stateHotCountersInRedis()) {
      return;
    }
    try {
      hot.forgetAll();
      hotInDoubt = false;
    } catch (HotCounters.HotCountersUnavailable e) {
      LOG.fine("hot counters still unreachable: " + e.getMessage());
    }
  }

  /** Whether increments take the hot-counter path now. */
  public boolean hotCountersInUse() {
    return settings.stateHotCountersInRedis() && !hotInDoubt;
  }

  /**
   * Removes the state and history of runs that finished longer ago than their definition's
   * retention (else {@code FLOW_RETENTION}), at most {@code batch} rows per transaction.
   *
   * @return how many runs' state was removed
   */
  public int removeExpired(int runs, int batch) {
    List<UUID> expired =
        write(
            c -> {
              List<UUID> ids = new ArrayList<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "select r.id from run r join definition d on d.id = r.definition_id"
                          + " where r.finished_at is not null and r.state_removed_at is null"
                          + " and r.finished_at < ? - coalesce(cast(d.spec->>'retention' as"
                          + " interval), cast(? as interval)) order by r.finished_at limit ?")) {
                ps.setObject(1, now());
                ps.setString(2, settings.retention().toString());
                ps.setInt(3, runs);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                  }
                }
              }
              return ids;
            });
    for (UUID run : expired) {
      for (String table : List.of("state_history", "state_entry", "state_blob")) {
        String id = table.equals("state_entry") ? "ctid" : "id";
        int removed;
        do {
          removed =
              write(
                  c -> {
                    try (PreparedStatement ps =
                        c.prepareStatement(
                            "delete from "
                                + table
                                + " where "
                                + id
                                + " in (select "
                                + id
                                + " from "
                                + table
                                + " where run_id = ? limit ?)")) {
                      ps.setObject(1, run);
                      ps.setInt(2, batch);
                      return ps.executeUpdate();
                    }
                  });
        } while (removed == batch);
      }
      write(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement("update run set state_removed_at = ? where id = ?")) {
              ps.setObject(1, now());
              ps.setObject(2, run);
              return ps.executeUpdate();
            }
          });
    }
    return expired.size();
  }

  // ---- the shared increment --------------------------------------------------------------------

  /**
   * A whole-number increment that only adds a history row, then asks the hot counter for the new
   * value. Empty when the key's value is not a whole number that fits a {@code long} (then the
   * exclusive path decides).
   */
  private Optional<JsonNode> sharedIncrement(UUID run, String key, long by, Actor actor) {
    Long id =
        write(
            c -> {
              lock(c, run, key, true);
              String type = ensureEntry(c, run, key, "number");
              if (!type.equals("number")) {
                throw typeMismatch(key, type, "increment", "a number");
              }
              if (!wholeEntry(c, run, key)) {
                return null;
              }
              return insertHistory(
                      c, run, key, StateOp.INCREMENT, null, BigDecimal.valueOf(by), null, actor)
                  .orElse(-1L);
            });
    if (id == null) {
      return Optional.empty();
    }
    dirty.mark(run, key);
    long ours = id > 0 ? id : historyIdOf(run, actor.opId());
    try {
      if (id > 0) {
        Optional<HotCounters.Counter> counted = hot.increment(run, key, by, id);
        if (counted.isPresent()) {
          return Optional.of(number(valueAfter(run, key, ours, counted.get())));
        }
      }
      // not loaded, or a replayed change (the counter may or may not hold it): load from the record
      Optional<HotCounters.Counter> loaded = loadHot(run, key);
      if (loaded.isPresent()) {
        return Optional.of(number(valueAfter(run, key, ours, loaded.get())));
      }
    } catch (HotCounters.HotCountersUnavailable e) {
      hotUnreachable(e);
    }
    // recorded: the answer comes from the record (never a second increment)
    return get(run, key);
  }

  private static JsonNode number(long value) {
    return StateValues.number(BigDecimal.valueOf(value));
  }

  /**
   * The value right after history row {@code ours}, so that every increment answers its own value
   * (an increment is a ticket), also when it raced a load of the counter, which then already
   * included it and later ones. Taken from the record: the entry's checkpoint value, plus or minus
   * the increments between the checkpoint and ours. When another kind of change came between, the
   * counter as it is.
   */
  private long valueAfter(UUID run, String key, long ours, HotCounters.Counter counter) {
    if (ours <= 0 || (counter.exact() && ours >= counter.includesUpTo())) {
      return counter.value();
    }
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select e.value::text, e.checkpoint_history_id,"
                      + " count(h.id) filter (where h.op <> 'INCREMENT'),"
                      + " coalesce(sum(h.delta), 0)"
                      + " from state_entry e left join state_history h"
                      + " on h.run_id = e.run_id and h.key = e.key"
                      + " and h.id > least(e.checkpoint_history_id, ?)"
                      + " and h.id <= greatest(e.checkpoint_history_id, ?)"
                      + " where e.run_id = ? and e.key = ?"
                      + " group by e.value::text, e.checkpoint_history_id")) {
            ps.setLong(1, ours);
            ps.setLong(2, ours);
            ps.setObject(3, run);
            ps.setString(4, key);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next() || rs.getLong(3) > 0 || rs.getString(1) == null) {
                return counter.value();
              }
              JsonNode atCheckpoint = StateValues.read(rs.getString(1));
              if (!atCheckpoint.isNumber() || !StateValues.isLong(atCheckpoint.decimalValue())) {
                return counter.value();
              }
              BigDecimal between = rs.getBigDecimal(4);
              BigDecimal value =
                  rs.getLong(2) <= ours
                      ? atCheckpoint.decimalValue().add(between)
                      : atCheckpoint.decimalValue().subtract(between);
              return value.longValueExact();
            }
          }
        });
  }

  private long historyIdOf(UUID run, String opId) {
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("select id from state_history where run_id = ? and op_id = ?")) {
            ps.setObject(1, run);
            ps.setString(2, opId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }

  /** Loads the key's counter from the record, under the key's exclusive lock. */
  private Optional<HotCounters.Counter> loadHot(UUID run, String key) {
    return exclusive(
        run,
        key,
        (c, current) -> {
          OptionalLong value = wholeValue(current.value());
          if (value.isEmpty()) {
            return Optional.empty();
          }
          hot.load(run, key, value.getAsLong(), current.watermark());
          return Optional.of(new HotCounters.Counter(value.getAsLong(), current.watermark(), true));
        });
  }

  private static OptionalLong wholeValue(JsonNode value) {
    if (value == null) {
      return OptionalLong.of(0);
    }
    if (value.isNumber() && StateValues.isLong(value.decimalValue())) {
      return OptionalLong.of(value.decimalValue().longValueExact());
    }
    return OptionalLong.empty();
  }

  private boolean wholeEntry(Connection c, UUID run, String key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select value::numeric = trunc(value::numeric)"
                + " and value::numeric between -9223372036854775808 and 9223372036854775807"
                + " from state_entry where run_id = ? and key = ?")) {
      ps.setObject(1, run);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private void forgetHot(UUID run, String key) {
    if (!settings.stateHotCountersInRedis()) {
      return;
    }
    try {
      hot.forget(run, key);
    } catch (HotCounters.HotCountersUnavailable e) {
      hotUnreachable(e);
    }
  }

  private void hotUnreachable(HotCounters.HotCountersUnavailable e) {
    if (!hotInDoubt) {
      LOG.warning(
          "hot counters unreachable; state increments go to PostgreSQL only until they are back: "
              + e.getMessage());
    }
    hotInDoubt = true;
  }

  // ---- the record ------------------------------------------------------------------------------

  /** A key's entry and the history rows after its checkpoint, folded on demand. */
  final class Current {
    boolean exists;
    String type = "null";
    String inlineText;
    Long blobId;
    long checkpoint;
    final List<Pending> pending = new ArrayList<>();
    private Connection connection;
    private JsonNode folded;
    private boolean done;

    JsonNode value() {
      if (!done) {
        JsonNode value = null;
        if (exists) {
          value =
              blobId != null ? blobs.load(connection, blobId).tree() : StateValues.read(inlineText);
        }
        for (Pending p : pending) {
          value = StateValues.apply(value, p.op, p.value(connection), p.delta);
        }
        folded = value;
        done = true;
      }
      return folded;
    }

    /** The highest history id the value includes. */
    long watermark() {
      return pending.isEmpty() ? checkpoint : pending.get(pending.size() - 1).id;
    }
  }

  /** A history row after an entry's checkpoint. */
  final class Pending {
    long id;
    StateOp op;
    String valueText;
    BigDecimal delta;
    Long blobId;

    JsonNode value(Connection c) {
      if (blobId != null) {
        return blobs.load(c, blobId).tree();
      }
      return valueText == null ? JsonNodeFactory.instance.nullNode() : StateValues.read(valueText);
    }
  }

  private Current entry(ResultSet rs, int from) throws SQLException {
    Current current = new Current();
    current.exists = true;
    current.inlineText = rs.getString(from);
    current.type = rs.getString(from + 1);
    long blob = rs.getLong(from + 2);
    current.blobId = rs.wasNull() ? null : blob;
    current.checkpoint = rs.getLong(from + 3);
    current.connection = rs.getStatement().getConnection();
    return current;
  }

  private Pending pendingRow(ResultSet rs, int from) throws SQLException {
    Pending p = new Pending();
    p.id = rs.getLong(from);
    p.op = StateOp.valueOf(rs.getString(from + 1));
    p.valueText = rs.getString(from + 2);
    p.delta = rs.getBigDecimal(from + 3);
    long blob = rs.getLong(from + 4);
    p.blobId = rs.wasNull() ? null : blob;
    return p;
  }

  private Current current(Connection c, UUID run, String key) throws SQLException {
    Current current = new Current();
    current.connection = c;
    try (PreparedStatement ps =
        c.prepareStatement(
            "select value::text, value_type, blob_id, checkpoint_history_id from state_entry"
                + " where run_id = ? and key = ?")) {
      ps.setObject(1, run);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          current = entry(rs, 1);
        }
      }
    }
    if (current.exists) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "select id, op, value::text, delta, blob_id from state_history"
                  + " where run_id = ? and key = ? and id > ? order by id")) {
        ps.setObject(1, run);
        ps.setString(2, key);
        ps.setLong(3, current.checkpoint);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            current.pending.add(pendingRow(rs, 1));
          }
        }
      }
    }
    return current;
  }

  private StateChange change(Connection c, ResultSet rs) throws SQLException {
    long blob = rs.getLong(6);
    JsonNode value =
        rs.wasNull()
            ? (rs.getString(4) == null ? null : StateValues.read(rs.getString(4)))
            : blobs.load(c, blob).tree();
    return new StateChange(
        rs.getLong(1),
        rs.getString(2),
        StateOp.valueOf(rs.getString(3)),
        value,
        rs.getBigDecimal(5),
        rs.getObject(7, UUID.class),
        rs.getObject(8, OffsetDateTime.class).toInstant());
  }

  /** Creates the key with an empty value of {@code type} if absent; answers the key's type. */
  private String ensureEntry(Connection c, UUID run, String key, String type) throws SQLException {
    Optional<String> existing = typeOf(c, run, key);
    if (existing.isPresent()) {
      return existing.get();
    }
    // the checkpoint is the key's last change (its deletion, if any): older rows are not folded
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into state_entry (run_id, key, value, value_type, checkpoint_history_id,"
                + " updated_at) values (?, ?, cast(? as jsonb), ?, coalesce((select max(id) from"
                + " state_history where run_id = ? and key = ?), 0), ?)"
                + " on conflict do nothing")) {
      ps.setObject(1, run);
      ps.setString(2, key);
      ps.setString(3, type.equals("number") ? "0" : "[]");
      ps.setString(4, type);
      ps.setObject(5, run);
      ps.setString(6, key);
      ps.setObject(7, now());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw unknownRun(e, run);
    }
    return typeOf(c, run, key).orElseThrow();
  }

  private static Optional<String> typeOf(Connection c, UUID run, String key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select value_type from state_entry where run_id = ? and key = ?")) {
      ps.setObject(1, run);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private void writeEntry(
      Connection c, UUID run, String key, JsonNode value, String type, Long blobId, long checkpoint)
      throws SQLException {
    String text = null;
    if (blobId == null) {
      text = StateValues.write(value);
      if (text.length() > settings.stateInlineLimit()) {
        blobId = blobs.store(c, run, StateInput.Value.of(value, text), clock.instant());
        text = null;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into state_entry (run_id, key, value, blob_id, value_type,"
                + " checkpoint_history_id, updated_at, row_version)"
                + " values (?, ?, cast(? as jsonb), ?, ?, ?, ?, 0)"
                + " on conflict (run_id, key) do update set value = excluded.value,"
                + " blob_id = excluded.blob_id, value_type = excluded.value_type,"
                + " checkpoint_history_id = excluded.checkpoint_history_id,"
                + " updated_at = excluded.updated_at,"
                + " row_version = state_entry.row_version + 1")) {
      ps.setObject(1, run);
      ps.setString(2, key);
      ps.setString(3, text);
      setBlob(ps, 4, blobId);
      ps.setString(5, type);
      ps.setLong(6, checkpoint);
      ps.setObject(7, now());
      ps.executeUpdate();
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private static void setBlob(PreparedStatement ps, int index, Long blobId) throws SQLException {
    if (blobId == null) {
      ps.setNull(index, java.sql.Types.BIGINT);
    } else {
      ps.setLong(index, blobId);
    }
  }

  private long history(
      Connection c,
      UUID run,
      String key,
      StateOp op,
      JsonNode value,
      BigDecimal delta,
      Long blobId,
      Actor actor)
      throws SQLException {
    return insertHistory(c, run, key, op, value, delta, blobId, actor)
        .orElseThrow(() -> new IllegalStateException("a replayed change was not caught"));
  }

  /** Adds a history row; empty when the actor's idempotency key was used before in the run. */
  private Optional<Long> insertHistory(
      Connection c,
      UUID run,
      String key,
      StateOp op,
      JsonNode value,
      BigDecimal delta,
      Long blobId,
      Actor actor)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into state_history (run_id, key, op, value, delta, blob_id, job_id, op_id, at)"
                + " values (?, ?, ?, cast(? as jsonb), ?, ?, (select id from job where id = ?), ?, ?)"
                + " on conflict (run_id, op_id) where op_id is not null do nothing returning id")) {
      ps.setObject(1, run);
      ps.setString(2, key);
      ps.setString(3, op.name());
      ps.setString(4, value == null ? null : StateValues.write(value));
      ps.setBigDecimal(5, delta);
      setBlob(ps, 6, blobId);
      ps.setObject(7, actor.jobId());
      ps.setString(8, actor.opId());
      ps.setObject(9, now());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw unknownRun(e, run);
    }
  }

  /** Whether the actor's idempotency key was used before in the run (then nothing changes). */
  private static boolean replayed(Connection c, UUID run, Actor actor) throws SQLException {
    if (actor.opId() == null) {
      return false;
    }
    try (PreparedStatement ps =
        c.prepareStatement("select 1 from state_history where run_id = ? and op_id = ?")) {
      ps.setObject(1, run);
      ps.setString(2, actor.opId());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void requireType(Current current, String type, String op, String key) {
    if (current.exists && !current.type.equals(type)) {
      throw typeMismatch(key, current.type, op, StateValues.describe(type));
    }
  }

  static ApiException typeMismatch(String key, String type, String op, String needs) {
    return new ApiException(
        409,
        "state_type_mismatch",
        "state key '"
            + key
            + "' holds "
            + StateValues.describe(type)
            + "; "
            + op
            + " needs "
            + needs
            + " (nothing was changed)",
        Map.of("key", key, "type", type));
  }

  static void checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw ApiException.badRequest("key", "required");
    }
    if (RESERVED_KEYS.contains(key)) {
      throw ApiException.badRequest(
          "key",
          "'" + key + "' is reserved (history, export, stats name parts of the API); use another");
    }
    if (key.indexOf('/') >= 0) {
      throw ApiException.badRequest("key", "must not contain '/'");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw ApiException.badRequest(
          "key",
          "at most "
              + MAX_KEY_LENGTH
              + " characters, got "
              + key.length()
              + " (nothing was changed)");
    }
  }

  private static RuntimeException unknownRun(SQLException e, UUID run) {
    if ("23503".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("run")) {
      return ApiException.notFound("workflow", run);
    }
    return failure(e);
  }

  // ---- connections -----------------------------------------------------------------------------

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  @FunctionalInterface
  interface Exclusive<T> {
    T run(Connection c, Current current) throws SQLException;
  }

  /** A database failure that is not the caller's fault. */
  public static final class SqlFailure extends RuntimeException {
    SqlFailure(SQLException e) {
      super(e.getMessage(), e);
    }
  }

  /**
   * A failure of the connection itself (PostgreSQL restarting or unreachable, the pool without a
   * connection to give): a 503 that the client may retry, unlike a 500.
   */
  static RuntimeException failure(SQLException e) {
    return connectionLost(e) ? new Unavailable("the database", e) : new SqlFailure(e);
  }

  static boolean connectionLost(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
      String message = String.valueOf(t.getMessage());
      // IronJacamar: a handle whose connection was destroyed, or no connection to give
      if (message.contains("IJ031040") || message.contains("IJ000453")) {
        return true;
      }
    }
    return false;
  }

  private <T> T exclusive(UUID run, String key, Exclusive<T> work) {
    return write(
        c -> {
          lock(c, run, key, false);
          return work.run(c, current(c, run, key));
        });
  }

  private static void lock(Connection c, UUID run, String key, boolean shared) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            shared
                ? "select pg_advisory_xact_lock_shared(hashtextextended(?, 5))"
                : "select pg_advisory_xact_lock(hashtextextended(?, 5))")) {
      ps.setString(1, run + "/" + key);
      ps.execute();
    }
  }

  private <T> T write(Work<T> work) {
    return transaction(false, work);
  }

  private <T> T read(Work<T> work) {
    return transaction(true, work);
  }

  private <T> T transaction(boolean readOnly, Work<T> work) {
    try {
      return attempt(readOnly, work);
    } catch (Unavailable e) {
      if (!readOnly) {
        throw e; // a change may or may not have committed: the client retries with its key
      }
      return attempt(true, work); // a read on a connection that broke: once more on a fresh one
    }
  }

  private <T> T attempt(boolean readOnly, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      int isolation = c.getTransactionIsolation();
      c.setAutoCommit(false);
      if (readOnly) {
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      }
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollback(c);
        throw e;
      } finally {
        restore(c, readOnly, isolation, autoCommit);
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private static void restore(Connection c, boolean readOnly, int isolation, boolean autoCommit) {
    try {
      if (readOnly) {
        c.setTransactionIsolation(isolation);
      }
      c.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      LOG.log(Level.FINE, "the connection broke; the pool drops it", e);
    }
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.log(Level.FINE, "rollback failed", e);
    }
  }

  private static int bind(PreparedStatement ps, List<Object> params) throws SQLException {
    int i = 1;
    for (Object p : params) {
      ps.setObject(i++, p);
    }
    return i;
  }
}
