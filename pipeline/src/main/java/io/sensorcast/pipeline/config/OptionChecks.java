package io.sensorcast.pipeline.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** Range checks for the jobs' options; a failure names the key and the allowed range. */
public final class OptionChecks {

    private OptionChecks() {}

    /** The option's value, which must lie in [min, max]. */
    public static int range(Configuration c, ConfigOption<Integer> o, int min, int max) {
        int v = c.get(o);
        if (v < min || v > max) {
            throw new IllegalArgumentException(
                    o.key() + " must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    /** The option's value, which must lie in [min, max] (NaN never does). */
    public static double range(Configuration c, ConfigOption<Double> o, double min, double max) {
        double v = c.get(o);
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(
                    o.key() + " must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    /** The option's duration, which must be positive (or zero, when allowed). */
    public static Duration positive(
            Configuration c, ConfigOption<Duration> o, boolean zeroAllowed) {
        Duration d = c.get(o);
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new IllegalArgumentException(
                    o.key() + " must be " + (zeroAllowed ? ">= 0" : "> 0") + ", got " + d);
        }
        return d;
    }
}
