package io.sensorcast.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import io.sensorcast.model.block.Cell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecurrentSelfCheckTest {

    @AfterEach
    void restoreTheRealVerdict() {
        DjlRuntime.selfCheck(0);
    }

    @Test
    void theFusedOpMatchesTheGateEquationsOnThisMachine() {
        RecurrentSelfCheck.Report report = RecurrentSelfCheck.run(Device.cpu());
        assertThat(report.passed()).as(report.summary()).isTrue();
        assertThat(report.results()).hasSize(RecurrentSelfCheck.CASES.size());
        assertThat(RecurrentSelfCheck.CASES)
                .anyMatch(c -> c.cell() == Cell.LSTM && c.bidirectional() && c.layers() > 1)
                .anyMatch(c -> c.cell() == Cell.GRU && c.bidirectional() && c.layers() > 1)
                .allMatch(c -> c.batch() > 1);
        assertThat(report.worst().maxError()).isLessThan(1e-5);
    }

    @Test
    void refusesAnOpThatIsOffByMoreThanTheTolerance() {
        RecurrentSelfCheck.Report wrong = RecurrentSelfCheck.run(Device.cpu(), 1e-3);
        assertThat(wrong.passed()).isFalse();
        assertThat(wrong.worst().maxError()).isGreaterThan(RecurrentSelfCheck.CPU_TOLERANCE);
        assertThat(wrong.summary()).startsWith("FAILED on cpu");
        // float rounding stays well inside the tolerance
        assertThat(RecurrentSelfCheck.run(Device.cpu(), 1e-6).passed()).isTrue();
    }

    @Test
    void aFailedCheckStopsEveryModelInTheJvmAndSaysWhy() {
        EngineFacts facts = DjlRuntime.selfCheck(0.05);
        assertThat(facts.passed()).isFalse();
        assertThatThrownBy(DjlRuntime::engine)
                .isInstanceOf(KernelCheckException.class)
                .hasMessageContaining("refuses to train or serve")
                .hasMessageContaining(CpuInfo.read().name())
                .hasMessageContaining("max |op - reference|")
                .hasMessageContaining("DNNL_MAX_CPU_ISA=AVX2");
        assertThatThrownBy(() -> DjlRuntime.device("auto"))
                .isInstanceOf(KernelCheckException.class);

        assertThat(DjlRuntime.selfCheck(0).passed()).isTrue();
        try (Model model = Model.newInstance("after", DjlRuntime.device("cpu"))) {
            assertThat(model.getNDManager()).isNotNull();
        }
    }

    @Test
    void capsOneDnnOnKnownBadCpusBeforeLibtorchLoadsUnlessTheEnvironmentSaysOtherwise() {
        EngineFacts facts = DjlRuntime.facts();
        String fromEnvironment = System.getenv(OneDnnIsa.VARIABLE);
        if (fromEnvironment == null) {
            String expected = OneDnnIsa.resolve("AUTO", CpuInfo.read());
            assertThat(facts.isa().value()).isEqualTo(expected);
            assertThat(facts.isa().source())
                    .startsWith(expected.equals("ALL") ? "none" : "sensorcast");
        } else {
            assertThat(facts.isa())
                    .isEqualTo(new OneDnnIsa.Applied(fromEnvironment, "environment"));
        }
        assertThat(facts.summary()).contains("DNNL_MAX_CPU_ISA=").contains("self-check passed");
    }

    @Test
    void autoCapsAtAvx2OnAmdZen5AndLaterOnly() {
        assertThat(OneDnnIsa.resolve("AUTO", new CpuInfo("AuthenticAMD", 26, 2, "Zen 5", true)))
                .isEqualTo("AVX2");
        assertThat(OneDnnIsa.resolve("AUTO", new CpuInfo("AuthenticAMD", 25, 17, "Zen 4", true)))
                .isEqualTo("ALL");
        assertThat(OneDnnIsa.resolve("AUTO", new CpuInfo("GenuineIntel", 6, 143, "SPR", true)))
                .isEqualTo("ALL");
        assertThat(OneDnnIsa.resolve("AVX512_CORE", new CpuInfo("x", 26, 0, "x", true)))
                .isEqualTo("AVX512_CORE");
    }

    @Test
    void rejectsAnUnknownInstructionSetNamingTheKeyAndTheChoices() {
        assertThat(OneDnnIsa.validate("k", "avx2")).isEqualTo("AVX2");
        assertThatThrownBy(() -> OneDnnIsa.validate("sensorcast.djl.onednn-max-isa", "AVX3"))
                .hasMessageStartingWith("sensorcast.djl.onednn-max-isa must be one of SSE41,")
                .hasMessageContaining("ALL")
                .hasMessageEndingWith("got 'AVX3'");
    }

    @Test
    void readsTheProcessorFromCpuinfo(@TempDir Path dir) throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(
                cpuinfo,
                "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\n"
                        + "model name\t: AMD EPYC 9005\nflags\t\t: fpu avx2 avx512f avx512bw\n\n"
                        + "processor\t: 1\nvendor_id\t: Other\n");
        CpuInfo cpu = CpuInfo.read(cpuinfo);
        assertThat(cpu).isEqualTo(new CpuInfo("AuthenticAMD", 26, 2, "AMD EPYC 9005", true));
        assertThat(cpu.toString())
                .isEqualTo("AMD EPYC 9005 (AuthenticAMD family 26 model 2, AVX-512)");
        assertThat(CpuInfo.read(dir.resolve("missing")).family()).isEqualTo(-1);
    }
}
