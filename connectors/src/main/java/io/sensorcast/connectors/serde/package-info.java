/**
 * Bytes to records and back: the reading parser with its dead-letter reasons, JSON formats, the
 * model-update deserializer.
 */
package io.sensorcast.connectors.serde;
