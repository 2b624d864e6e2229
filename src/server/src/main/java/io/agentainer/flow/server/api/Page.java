package io.agentainer.flow.server.api;

import java.util.List;

/** A page of a list: {@code {items, total, page, size}}, pages counted from 0. */
public record Page<T>(List<T> items, long total, int page, int size) {}
