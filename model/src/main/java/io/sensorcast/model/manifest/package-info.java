/**
 * What a model says about itself, and why one is refused: the manifest and the records it holds
 * (training options and history, data range, validation metrics), and the exceptions that refuse an
 * invalid, corrupt or incompatible model. The lowest package of models: training, evaluation and
 * artifacts all build on it, and it on none of them.
 */
package io.sensorcast.model.manifest;
