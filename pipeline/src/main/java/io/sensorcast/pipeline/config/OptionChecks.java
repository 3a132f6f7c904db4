package io.sensorcast.pipeline.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;

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

    /** The option's enum value; any other value fails naming the key and the choices. */
    public static <E extends Enum<E>> E oneOf(Configuration c, ConfigOption<E> o) {
        try {
            return c.get(o);
        } catch (IllegalArgumentException e) {
            java.util.StringJoiner choices = new java.util.StringJoiner(", ");
            for (E value : o.defaultValue().getDeclaringClass().getEnumConstants()) {
                choices.add(value.name().toLowerCase(java.util.Locale.ROOT));
            }
            throw new IllegalArgumentException(
                    o.key()
                            + " must be one of "
                            + choices
                            + ", got '"
                            + c.toMap().get(o.key())
                            + "'",
                    e);
        }
    }

    /** The option's duration, which must be in [{@code min}, {@code max}]. */
    public static Duration range(
            Configuration c, ConfigOption<Duration> o, Duration min, Duration max) {
        Duration d = c.get(o);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    o.key()
                            + " must be in ["
                            + TimeUtils.formatWithHighestUnit(min)
                            + ", "
                            + TimeUtils.formatWithHighestUnit(max)
                            + "], got "
                            + TimeUtils.formatWithHighestUnit(d));
        }
        return d;
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

    /**
     * A command-line flag's duration ({@code 500ms}, {@code 10s}, {@code 1min}), at least 10 ms;
     * else fails naming the flag.
     */
    public static Duration duration(String name, String value) {
        Duration d;
        try {
            d = TimeUtils.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    name + " must be a duration like 500ms, 10s or 1min, got '" + value + "'");
        }
        if (d.toMillis() < 10) {
            throw new IllegalArgumentException(name + " must be at least 10ms, got " + value);
        }
        return d;
    }

    /**
     * {@code 0}, a port, or a range {@code from-to} of ports in [1, 65535]; else fails naming it.
     */
    public static void portRange(String name, String value) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?").matcher(value.trim());
        boolean ok = m.matches();
        if (ok && !value.trim().equals("0")) {
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            ok = from >= 1 && to <= 65535 && from <= to;
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    name
                            + " must be 0 (none), a port or a range like 9249-9269 of ports in"
                            + " [1, 65535], got '"
                            + value
                            + "'");
        }
    }
}
