/**
 * Settings: {@link io.agentainer.flow.server.config.FlowSettings} reads MicroProfile Config with
 * environment overrides. No domain logic here; nothing here imports JAX-RS, Jedis or docker-java.
 */
package io.agentainer.flow.server.config;
