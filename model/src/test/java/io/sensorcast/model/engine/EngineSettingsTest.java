package io.sensorcast.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {

    @Test
    void loadsLibtorchOfflineFromTheBundledJars() {
        assertThat(DjlRuntime.engine().getEngineName()).isEqualTo("PyTorch");
        assertThat(DjlRuntime.engine().getVersion()).isEqualTo("2.7.1");
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(System.getProperty("ai.djl.pytorch.num_interop_threads")).isEqualTo("1");
    }

    @Test
    void rejectsThreadCountsOutOfRange() {
        assertThatThrownBy(() -> new EngineSettings(Path.of("x"), -1, 1, false, "AVX2"))
                .hasMessageContaining("intraOpThreads must be in [0, 1024]");
        assertThatThrownBy(() -> new EngineSettings(Path.of("x"), 1, 0, false, "AVX2"))
                .hasMessageContaining("interOpThreads must be in [1, 1024]");
    }

    @Test
    void rejectsUnknownDevices() {
        assertThat(DjlRuntime.device("cpu").getDeviceType()).isEqualTo("cpu");
        assertThatThrownBy(() -> DjlRuntime.device("npu"))
                .hasMessage("device must be one of auto, cpu, gpu; got 'npu'");
    }
}
