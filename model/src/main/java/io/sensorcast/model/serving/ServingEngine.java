package io.sensorcast.model.serving;

/**
 * Which engine runs a served model's forward passes. Training and the GPU path are always
 * libtorch's. On the CPU, ONNX Runtime runs the same network 3-9 times faster at the small batches
 * a live fleet makes, and faster at every batch for larger networks or where libtorch's oneDNN must
 * be capped (docs/performance.md, "Model inference"), so it is what {@link #AUTO} picks there.
 */
public enum ServingEngine {
    /** ONNX Runtime on a CPU-only machine, libtorch where the engine sees a GPU. */
    AUTO,
    /** ONNX Runtime (CPU), over the model's ONNX export, checked against libtorch first. */
    ONNXRUNTIME,
    /** libtorch, on the device the model was loaded on. */
    PYTORCH;

    /** The engine where none is chosen: the job option's default and the model registry's. */
    public static final ServingEngine DEFAULT = AUTO;

    /** The engine this choice means on a machine with {@code gpus} GPUs. */
    public ServingEngine resolve(int gpus) {
        if (this == AUTO) {
            return gpus > 0 ? PYTORCH : ONNXRUNTIME;
        }
        return this;
    }
}
