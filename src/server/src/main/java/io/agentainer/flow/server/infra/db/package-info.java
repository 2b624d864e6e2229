/**
 * PostgreSQL plumbing: the Flyway migration at startup and the JPA resources as CDI beans. Schema
 * changes only through {@code db/migration}; nothing here generates DDL.
 */
package io.agentainer.flow.server.infra.db;
