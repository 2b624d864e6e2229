/**
 * The console's side of the REST API: where the API address comes from ({@link
 * io.agentainer.flow.console.api.ApiSettings}), the shared SDK client ({@link
 * io.agentainer.flow.console.api.FlowApi}) and the results the views render, such as {@link
 * io.agentainer.flow.console.api.HealthReport}. Views call the API only through this package.
 * Nothing here may import Vaadin or {@code io.agentainer.flow.server} classes.
 */
package io.agentainer.flow.console.api;
