/**
 * Benchmarks, run with {@code ./deploy-wildfly/flow bench}: each measures Flow beside a baseline in
 * the same run and prints medians, p99s and ratios.
 */
package io.agentainer.flow.deploy.bench;
