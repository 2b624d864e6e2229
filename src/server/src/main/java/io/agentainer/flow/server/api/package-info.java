/**
 * The API's common shapes: the error body and its mappers (one place for all errors: 4xx naming the
 * field, 5xx without internals), pages of lists, the JSON settings. Domain services throw {@link
 * io.agentainer.flow.server.api.ApiException}; nothing here holds domain logic.
 */
package io.agentainer.flow.server.api;
