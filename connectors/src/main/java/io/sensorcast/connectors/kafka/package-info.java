/**
 * Kafka settings ({@code sensorcast.kafka.*}), the topic layout and its creation, and the embedded
 * KRaft broker of tests, the demo and {@code sensorcast kafka}.
 */
package io.sensorcast.connectors.kafka;
