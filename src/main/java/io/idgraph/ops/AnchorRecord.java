package io.idgraph.ops;

/**
 * A source record that stands for a profile in a manual operation. Profile ids can change from
 * night to night; a source record keeps its id, so the run finds the profile again through the
 * record.
 */
public record AnchorRecord(String source, String recordId) {}
