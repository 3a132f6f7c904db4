/**
 * How a loaded model serves: on libtorch, or on ONNX Runtime through the model's ONNX export, which
 * must match libtorch's forecasts before it is used.
 */
package io.sensorcast.model.serving;
