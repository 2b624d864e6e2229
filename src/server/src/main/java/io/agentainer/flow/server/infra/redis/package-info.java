/**
 * Redis through Jedis' {@code RedisClient}: the only package besides other {@code infra} adapters
 * that may import {@code redis.clients}.
 */
package io.agentainer.flow.server.infra.redis;
