/** Kafka sources of the jobs: readings (unbounded or bounded by time) and model updates. */
package io.sensorcast.connectors.source;
