/**
 * Kafka and the reading format: serialization with dead-letter routing, source and sink factories,
 * the embedded KRaft broker, replay. No model code.
 */
package io.sensorcast.connectors;
