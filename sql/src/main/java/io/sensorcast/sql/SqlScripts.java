package io.sensorcast.sql;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SQL the examples, the {@code sql} command and the tests share. */
public final class SqlScripts {

    private SqlScripts() {}

    /**
     * A table over a readings topic in its JSON format ({@code sensor}, {@code ts} as an ISO-8601
     * instant, {@code value}), with a watermark 30 s behind, bounded at the offsets latest when the
     * query starts.
     */
    public static String readingsTable(String name, String bootstrapServers, String topic) {
        return "CREATE TEMPORARY TABLE "
                + name
                + " (\n"
                + "  sensor STRING,\n"
                + "  ts TIMESTAMP_LTZ(3),\n"
                + "  `value` DOUBLE,\n"
                + "  WATERMARK FOR ts AS ts - INTERVAL '30' SECOND\n"
                + ") WITH (\n"
                + "  'connector' = 'kafka',\n"
                + "  'topic' = '"
                + topic
                + "',\n"
                + "  'properties.bootstrap.servers' = '"
                + bootstrapServers
                + "',\n"
                + "  'scan.startup.mode' = 'earliest-offset',\n"
                + "  'scan.bounded.mode' = 'latest-offset',\n"
                + "  'format' = 'json',\n"
                + "  'json.timestamp-format.standard' = 'ISO-8601',\n"
                + "  'json.ignore-parse-errors' = 'true'\n"
                + ")";
    }

    /**
     * What a SQL Gateway session runs before a script: {@code ADD JAR} of each of {@code jars}
     * (paths as the gateway's machine sees them), then {@code SENSORCAST_DETECT} as a temporary
     * system function.
     */
    public static List<String> gatewaySetUp(List<Path> jars) {
        List<String> statements = new ArrayList<>();
        for (Path jar : jars) {
            statements.add("ADD JAR '" + jar.toAbsolutePath() + "'");
        }
        statements.add(
                "CREATE TEMPORARY SYSTEM FUNCTION "
                        + SensorcastDetect.NAME
                        + " AS '"
                        + SensorcastDetect.class.getName()
                        + "'");
        return statements;
    }

    /**
     * The statements of a script as {@code sensorcast sql} and the SQL Gateway test run it: {@code
     * ${name}} replaced by {@code variables} (an unknown one is an IllegalArgumentException naming
     * it), then cut at each {@code ;} outside quotes, identifiers and comments.
     */
    public static List<String> statements(String script, Map<String, String> variables) {
        return split(substitute(script, variables));
    }

    public static String substitute(String script, Map<String, String> variables) {
        StringBuilder out = new StringBuilder(script.length());
        int i = 0;
        while (i < script.length()) {
            int at = script.indexOf("${", i);
            if (at < 0) {
                out.append(script, i, script.length());
                break;
            }
            int end = script.indexOf('}', at);
            if (end < 0) {
                throw new IllegalArgumentException("an unclosed ${ at offset " + at);
            }
            String name = script.substring(at + 2, end);
            String value = variables.get(name);
            if (value == null) {
                throw new IllegalArgumentException(
                        "unknown variable ${"
                                + name
                                + "}; the variables are "
                                + variables.keySet());
            }
            out.append(script, i, at).append(value);
            i = end + 1;
        }
        return out.toString();
    }

    public static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int n = script.length();
        for (int i = 0; i < n; i++) {
            char c = script.charAt(i);
            char next = i + 1 < n ? script.charAt(i + 1) : 0;
            if (c == '-' && next == '-') {
                int eol = script.indexOf('\n', i);
                i = eol < 0 ? n : eol;
                current.append('\n');
            } else if (c == '/' && next == '*') {
                int close = script.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 1;
                current.append(' ');
            } else if (c == '\'' || c == '`' || c == '"') {
                int close = closing(script, i, c);
                current.append(script, i, close + 1);
                i = close;
            } else if (c == ';') {
                add(statements, current);
            } else {
                current.append(c);
            }
        }
        add(statements, current);
        return statements;
    }

    /** Where the quote opened at {@code open} closes (a doubled quote is part of the text). */
    private static int closing(String script, int open, char quote) {
        int i = open + 1;
        while (i < script.length()) {
            if (script.charAt(i) == quote) {
                if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException(
                "a " + quote + " opened at offset " + open + " is never closed");
    }

    private static void add(List<String> statements, StringBuilder current) {
        String s = current.toString().strip();
        if (!s.isEmpty()) {
            statements.add(s);
        }
        current.setLength(0);
    }
}
