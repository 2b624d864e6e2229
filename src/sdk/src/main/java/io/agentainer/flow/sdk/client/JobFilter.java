package io.agentainer.flow.sdk.client;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which jobs {@link FlowClient#jobs(JobFilter)} lists: those of one workflow run and/or in some
 * statuses, one page at a time. {@code null} and empty values do not filter; a {@code null} page or
 * size leaves the server's default (page 0, its default size).
 *
 * <pre>{@code
 * JobFilter.builder().statuses("QUEUED", "RUNNING").page(0).size(20).build();
 * }</pre>
 *
 * @param statuses any of {@link Job#STATUSES}; the order given is the order sent
 * @param page from 0
 * @param size from 1
 */
public record JobFilter(String workflowId, Set<String> statuses, Integer page, Integer size) {

  public JobFilter {
    statuses =
        statuses == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(statuses));
    if (page != null && page < 0) {
      throw new IllegalArgumentException("page must be 0 or more, got " + page);
    }
    if (size != null && size < 1) {
      throw new IllegalArgumentException("size must be 1 or more, got " + size);
    }
  }

  /** Every job, first page, the server's page size. */
  public static JobFilter all() {
    return new JobFilter(null, Set.of(), null, null);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options of a {@link JobFilter}. Not thread safe. */
  public static final class Builder {
    private String workflowId;
    private final Set<String> statuses = new LinkedHashSet<>();
    private Integer page;
    private Integer size;

    private Builder() {}

    public Builder workflowId(String workflowId) {
      this.workflowId = workflowId;
      return this;
    }

    public Builder statuses(String... statuses) {
      return statuses(Arrays.asList(statuses));
    }

    public Builder statuses(Collection<String> statuses) {
      this.statuses.addAll(statuses);
      return this;
    }

    public Builder page(int page) {
      this.page = page;
      return this;
    }

    public Builder size(int size) {
      this.size = size;
      return this;
    }

    /**
     * @throws IllegalArgumentException when page is negative or size below 1
     */
    public JobFilter build() {
      return new JobFilter(workflowId, statuses, page, size);
    }
  }
}
