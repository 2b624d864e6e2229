/**
 * The dashboard, the console's start page at route {@code ""}: an overview of the server, starting
 * with its health. Views here read through {@code io.agentainer.flow.console.api} and must not
 * import {@code io.agentainer.flow.server} classes or the SDK's HTTP client directly.
 */
package io.agentainer.flow.console.ui.dashboard;
