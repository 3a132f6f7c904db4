package io.sensorcast.cli.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A SQL script as {@code sensorcast sql} runs it: {@code ${name}} variables replaced, then cut into
 * statements at each {@code ;} outside quotes, identifiers and comments.
 */
final class SqlScript {

    private SqlScript() {}

    /**
     * The statements of {@code script}, with {@code ${name}} replaced by {@code variables}; an
     * unknown variable is an IllegalArgumentException naming it.
     */
    static List<String> statements(String script, Map<String, String> variables) {
        return split(substitute(script, variables));
    }

    static String substitute(String script, Map<String, String> variables) {
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
                throw new IllegalArgumentException("--file: an unclosed ${ at offset " + at);
            }
            String name = script.substring(at + 2, end);
            String value = variables.get(name);
            if (value == null) {
                throw new IllegalArgumentException(
                        "--file: unknown variable ${"
                                + name
                                + "}; the variables are "
                                + variables.keySet());
            }
            out.append(script, i, at).append(value);
            i = end + 1;
        }
        return out.toString();
    }

    static List<String> split(String script) {
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
                "--file: a " + quote + " opened at offset " + open + " is never closed");
    }

    private static void add(List<String> statements, StringBuilder current) {
        String s = current.toString().strip();
        if (!s.isEmpty()) {
            statements.add(s);
        }
        current.setLength(0);
    }
}
