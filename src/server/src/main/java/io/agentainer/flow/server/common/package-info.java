/**
 * Small pieces every domain package uses: the table of status transitions and JPA converters. It
 * imports nothing of JAX-RS, Jedis or docker-java.
 */
package io.agentainer.flow.server.common;
