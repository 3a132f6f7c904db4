package io.sensorcast.pipeline.operators;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which model group serves a sensor: the first matching rule's group, else the sensor's own id (one
 * model per sensor). Rules are {@code regex=group}, e.g. {@code pump-.*=pumps}.
 */
public final class GroupMapping implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, String> rules;
    private transient Map<Pattern, String> compiled;

    private GroupMapping(LinkedHashMap<String, String> rules) {
        this.rules = rules;
    }

    /** One model per sensor. */
    public static GroupMapping perSensor() {
        return new GroupMapping(new LinkedHashMap<>());
    }

    /**
     * Parses {@code regex=group[;regex=group...]}; a bad rule is an {@link
     * IllegalArgumentException} naming {@code key}.
     */
    public static GroupMapping parse(String key, String spec) {
        LinkedHashMap<String, String> rules = new LinkedHashMap<>();
        if (spec != null && !spec.isBlank()) {
            for (String rule : spec.split(";")) {
                int eq = rule.lastIndexOf('=');
                if (eq <= 0 || eq == rule.length() - 1) {
                    throw new IllegalArgumentException(
                            key
                                    + " rules must be regex=group separated by ';', got '"
                                    + rule
                                    + "'");
                }
                try {
                    Pattern.compile(rule.substring(0, eq).trim());
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(
                            key
                                    + " has an invalid regex '"
                                    + rule.substring(0, eq)
                                    + "': "
                                    + e.getDescription());
                }
                rules.put(rule.substring(0, eq).trim(), rule.substring(eq + 1).trim());
            }
        }
        return new GroupMapping(rules);
    }

    public String groupOf(String sensor) {
        if (compiled == null) {
            compiled = new LinkedHashMap<>();
            rules.forEach((regex, group) -> compiled.put(Pattern.compile(regex), group));
        }
        for (Map.Entry<Pattern, String> e : compiled.entrySet()) {
            if (e.getKey().matcher(sensor).matches()) {
                return e.getValue();
            }
        }
        return sensor;
    }
}
