/**
 * Replaying readings into Kafka at a chosen pace: as recorded, at a rate, or as fast as it goes.
 */
package io.sensorcast.connectors.replay;
