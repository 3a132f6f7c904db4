package io.sensorcast.connectors.format;

import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * ISO-8601 instants to and from epoch milliseconds, as {@link Instant#toString()} writes them and
 * {@link OffsetDateTime#parse} reads them, without {@code java.time}'s formatter on the hot path.
 *
 * <p>Every record the job reads or writes carries such a timestamp, and {@code DateTimeFormatter}
 * was a fifth of the CPU of the source and of each sink (profiled with JFR under {@code sensorcast
 * bench}). The fast paths cover the canonical UTC forms {@code 2013-12-02T21:15:00Z} and {@code
 * 2013-12-02T21:15:00.123Z} of years 1970-9999; anything else takes the {@code java.time} path, so
 * what is accepted, and every error, stays exactly as before.
 */
public final class IsoInstants {

    private static final long MAX_FAST_MILLIS = 253_402_300_799_999L; // 9999-12-31T23:59:59.999Z

    private IsoInstants() {}

    /**
     * {@code Instant.ofEpochMilli(millis).toString()}.
     *
     * @param millis epoch milliseconds
     */
    public static String format(long millis) {
        if (millis < 0 || millis > MAX_FAST_MILLIS) {
            return Instant.ofEpochMilli(millis).toString();
        }
        long days = Math.floorDiv(millis, 86_400_000L);
        int ms = (int) (millis - days * 86_400_000L);
        // civil from days (H. Hinnant), days since 1970-01-01
        long z = days + 719_468;
        long era = z / 146_097;
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        int seconds = ms / 1000;
        char[] c = new char[ms % 1000 == 0 ? 20 : 24];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, month, 2);
        c[7] = '-';
        digits(c, 8, day, 2);
        c[10] = 'T';
        digits(c, 11, seconds / 3600, 2);
        c[13] = ':';
        digits(c, 14, seconds / 60 % 60, 2);
        c[16] = ':';
        digits(c, 17, seconds % 60, 2);
        if (c.length == 24) {
            c[19] = '.';
            digits(c, 20, ms % 1000, 3);
        }
        c[c.length - 1] = 'Z';
        return new String(c);
    }

    /**
     * {@code OffsetDateTime.parse(text).toInstant().toEpochMilli()}: an ISO-8601 date-time with a
     * zone offset, to epoch milliseconds (sub-millisecond digits truncated).
     *
     * @throws java.time.format.DateTimeParseException when it is none
     * @throws ArithmeticException when it does not fit epoch milliseconds
     */
    public static long parse(String text) {
        long fast = parseCanonical(text);
        return fast >= 0 ? fast : OffsetDateTime.parse(text).toInstant().toEpochMilli();
    }

    /** The canonical forms {@link #format} writes, or -1 for anything else. */
    static long parseCanonical(String s) {
        int n = s.length();
        if ((n != 20 && n != 24)
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(n - 1) != 'Z'
                || (n == 24 && s.charAt(19) != '.')) {
            return -1;
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        int second = number(s, 17, 2);
        int ms = n == 24 ? number(s, 20, 3) : 0;
        if (year < 1970
                || month < 1
                || month > 12
                || day < 1
                || day > daysIn(year, month)
                || hour > 23
                || minute > 59
                || second > 59
                || ms < 0) {
            return -1; // also a non-digit (number() is then negative)
        }
        // days from civil (H. Hinnant)
        int y = month <= 2 ? year - 1 : year;
        long era = y / 400;
        long yoe = y - era * 400;
        long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        long days = era * 146_097 + doe - 719_468;
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + ms;
    }

    private static int daysIn(int year, int month) {
        if (month == 2) {
            boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            return leap ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    /** The decimal number of {@code length} digits at {@code from}, or -1 if one is no digit. */
    private static int number(String s, int from, int length) {
        int v = 0;
        for (int i = from; i < from + length; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
