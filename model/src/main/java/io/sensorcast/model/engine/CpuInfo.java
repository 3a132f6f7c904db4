package io.sensorcast.model.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * What the engine's log line and {@code sensorcast doctor} say about the processor: from {@code
 * /proc/cpuinfo} on Linux, {@code os.arch} elsewhere.
 *
 * @param vendor e.g. {@code AuthenticAMD}, or {@code unknown}
 * @param family the x86 family ({@code 26} is AMD Zen 5), or -1 when unknown
 * @param model the x86 model number, or -1 when unknown
 * @param name the marketing name, or the JVM's {@code os.arch}
 * @param avx512 whether the CPU reports AVX-512 Foundation
 */
public record CpuInfo(String vendor, int family, int model, String name, boolean avx512) {

    /** Reads the first processor's entry of {@code /proc/cpuinfo}. */
    public static CpuInfo read() {
        return read(Paths.get("/proc/cpuinfo"));
    }

    static CpuInfo read(Path cpuinfo) {
        String arch = System.getProperty("os.arch", "unknown");
        List<String> lines;
        try {
            lines = Files.readAllLines(cpuinfo);
        } catch (IOException | RuntimeException e) {
            return new CpuInfo("unknown", -1, -1, arch, false);
        }
        String vendor = "unknown";
        String name = arch;
        int family = -1;
        int model = -1;
        boolean avx512 = false;
        for (String line : lines) {
            if (line.isBlank()) {
                break; // the first processor is enough
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "vendor_id" -> vendor = value;
                case "model name" -> name = value;
                case "cpu family" -> family = parse(value);
                case "model" -> model = parse(value);
                case "flags" -> avx512 = (" " + value + " ").contains(" avx512f ");
                default -> {}
            }
        }
        return new CpuInfo(vendor, family, model, name, avx512);
    }

    private static int parse(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s (%s family %d model %d%s)",
                name,
                vendor,
                family,
                model,
                avx512 ? ", AVX-512" : "");
    }
}
