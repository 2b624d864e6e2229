/**
 * The Agentainer Flow server: a WAR at {@code /api} on WildFly. Packages go by domain ({@code
 * node}, then {@code definition}, {@code run}, {@code job}, {@code agent}, {@code pool}, {@code
 * state}, {@code schedule}, {@code event}) with their entities, repositories, services and REST
 * resources; {@code infra} adapts PostgreSQL, Redis and Docker; {@code api} maps errors; {@code
 * security} checks tokens. Domain classes must not import JAX-RS, Jedis or docker-java: an ArchUnit
 * test holds that.
 */
package io.agentainer.flow.server;
