package io.sensorcast.model.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.List;
import java.util.Locale;

/**
 * The cap on the instruction set oneDNN (libtorch's CPU kernel library) may use, set as the process
 * environment variable {@value #VARIABLE} before libtorch loads.
 *
 * <p>Why: libtorch 2.7.1's oneDNN LSTM kernel returns wrong numbers on AMD Zen 5 with its AVX-512
 * code paths (AVX512_CORE included) and right ones with {@code AVX2}. oneDNN reads the variable
 * once, at its first use, through the C library's {@code getenv}; Java cannot change its own
 * environment, so this class calls libc's {@code setenv} through JNA (DJL's own dependency). A
 * value the user already put in the environment is left alone.
 */
public final class OneDnnIsa {

    /** The environment variable oneDNN reads. */
    public static final String VARIABLE = "DNNL_MAX_CPU_ISA";

    /**
     * oneDNN's names for its instruction-set levels; {@code ALL} is no cap; {@code AUTO} (not
     * oneDNN's) is AVX2 on CPUs known to need it, else no cap.
     */
    public static final List<String> VALUES =
            List.of(
                    "SSE41",
                    "AVX",
                    "AVX2",
                    "AVX2_VNNI",
                    "AVX2_VNNI_2",
                    "AVX512_CORE",
                    "AVX512_CORE_VNNI",
                    "AVX512_CORE_BF16",
                    "AVX10_1_512",
                    "AVX10_1_512_AMX",
                    "AVX10_1_512_AMX_FP16",
                    "ALL",
                    "AUTO");

    /** AMD's first family whose oneDNN LSTM is known wrong above AVX2 (Zen 5). */
    static final int FIRST_BAD_AMD_FAMILY = 26;

    /**
     * The cap in force and who chose it.
     *
     * @param value the variable's value, or {@code ALL} when unset
     * @param source {@code environment} (set before the JVM started), {@code sensorcast} (set by
     *     {@link #apply}), or {@code none}
     */
    public record Applied(String value, String source) {
        @Override
        public String toString() {
            return VARIABLE + "=" + value + " (" + source + ")";
        }
    }

    private interface LibC extends Library {
        String getenv(String name);

        int setenv(String name, String value, int overwrite);
    }

    private OneDnnIsa() {}

    /** {@code value} upper-cased, or an exception naming {@code key} and the allowed values. */
    public static String validate(String key, String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        if (!VALUES.contains(v)) {
            throw new IllegalArgumentException(
                    key + " must be one of " + String.join(", ", VALUES) + "; got '" + value + "'");
        }
        return v;
    }

    /** The cap {@code setting} means on {@code cpu}: {@code AUTO} resolved, others as they are. */
    static String resolve(String setting, CpuInfo cpu) {
        if (!setting.equals("AUTO")) {
            return setting;
        }
        boolean knownBad =
                cpu.vendor().equals("AuthenticAMD") && cpu.family() >= FIRST_BAD_AMD_FAMILY;
        return knownBad ? "AVX2" : "ALL";
    }

    /**
     * Puts the cap {@code setting} means on this CPU into the process environment unless the
     * variable is already set there, and says what is in force. Must run before libtorch's first
     * oneDNN call to have an effect.
     */
    public static Applied apply(String setting) {
        String cap = resolve(setting, CpuInfo.read());
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            String present = System.getenv(VARIABLE);
            return present != null
                    ? new Applied(present, "environment")
                    : new Applied("ALL", "none: the C library could not be reached, " + e);
        }
        String present = libc.getenv(VARIABLE);
        if (present != null && !present.isEmpty()) {
            return new Applied(present, "environment");
        }
        if (cap.equals("ALL")) {
            return new Applied("ALL", setting.equals("AUTO") ? "none: no known-bad CPU" : "none");
        }
        if (libc.setenv(VARIABLE, cap, 0) != 0) {
            return new Applied("ALL", "none: setenv failed");
        }
        return new Applied(
                cap, setting.equals("AUTO") ? "sensorcast: known-bad CPU" : "sensorcast");
    }
}
