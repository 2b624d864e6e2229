/**
 * Authentication of the API: the admin token (from the environment or generated on first start) and
 * the filter that asks every request but health for a bearer token. Tokens are never logged.
 */
package io.agentainer.flow.server.security;
