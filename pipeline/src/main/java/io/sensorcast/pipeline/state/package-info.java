/**
 * Serializers of the jobs' keyed state: what RocksDB runs through on every access of a sensor's
 * state, kept compact and fast, and writing the bytes Flink's own serializers wrote before them.
 */
package io.sensorcast.pipeline.state;
