/**
 * Kafka sinks of the jobs: exactly-once by default, record timestamps never ahead of the clock,
 * dead letters bounded in size.
 */
package io.sensorcast.connectors.sink;
