package io.agentainer.flow.sdk.client;

/**
 * What registering a definition answered: its name and version, and whether this call made that
 * version ({@code 201}) or the text was identical to the latest version ({@code 200}, nothing new).
 */
public record DefinitionRef(String name, int version, boolean created) {}
