/**
 * The network: the fused bidirectional LSTM/GRU block in torch's weight order, the forecast head
 * and skip path, their configuration, and a plain-Java reference of the gates.
 */
package io.sensorcast.model.block;
