/**
 * The console's Vaadin user interface: the application layout ({@link
 * io.agentainer.flow.console.ui.MainLayout}) with its navigation, and one sub-package per view.
 * Routes and layouts are CDI beans (the WAR's beans.xml discovers "all", because Vaadin's
 * {@code @UIScoped} and {@code @RouteScoped} are not bean-defining) and carry one of those scopes.
 * Views get data only through {@code io.agentainer.flow.console.api}; nothing here may import
 * {@code io.agentainer.flow.server} classes or call HTTP directly.
 */
package io.agentainer.flow.console.ui;
