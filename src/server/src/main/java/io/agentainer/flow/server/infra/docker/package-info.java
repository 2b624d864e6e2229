/**
 * The Docker engine through docker-java: the only package that may import {@code
 * com.github.dockerjava}.
 */
package io.agentainer.flow.server.infra.docker;
