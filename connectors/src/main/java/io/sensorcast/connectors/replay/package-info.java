/** Reading CSV files as sensor readings and replaying them into Kafka at a chosen pace. */
package io.sensorcast.connectors.replay;
