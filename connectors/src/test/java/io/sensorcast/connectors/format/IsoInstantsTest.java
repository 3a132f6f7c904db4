package io.sensorcast.connectors.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {

    @Test
    void formatsExactlyAsInstantDoesAndReadsItsOwnOutputBack() {
        SplittableRandom random = new SplittableRandom(1);
        long[] edges = {
            0,
            999,
            1000,
            86_399_999,
            951_782_400_000L,
            1_709_164_800_000L,
            4_107_542_399_999L,
            253_402_300_799_999L,
            253_402_300_800_000L,
            -1,
            -86_400_001
        };
        for (long millis : edges) {
            check(millis);
        }
        for (int i = 0; i < 200_000; i++) {
            long millis = random.nextLong(-1_000_000_000_000L, 300_000_000_000_000L);
            check(i % 2 == 0 ? millis : millis / 1000 * 1000);
        }
    }

    private static void check(long millis) {
        String expected = Instant.ofEpochMilli(millis).toString();
        assertThat(IsoInstants.format(millis)).as("%d", millis).isEqualTo(expected);
        assertThat(IsoInstants.parse(expected)).as(expected).isEqualTo(millis);
    }

    @Test
    void readsEveryOtherFormJustAsOffsetDateTimeDoes() {
        for (String text :
                new String[] {
                    "2013-12-02T21:15:00+01:00",
                    "2013-12-02T21:15Z",
                    "2013-12-02T21:15:00.123456Z",
                    "1969-12-31T23:59:59Z",
                    "2016-02-29T00:00:00Z",
                    "2013-12-02t21:15:00Z"
                }) {
            long fallback = OffsetDateTime.parse(text).toInstant().toEpochMilli();
            assertThat(IsoInstants.parse(text)).as(text).isEqualTo(fallback);
        }
        for (String bad :
                new String[] {
                    "2013-02-29T00:00:00Z",
                    "2013-13-02T21:15:00Z",
                    "2013-12-02T24:00:00Z",
                    "2013-12-02T21:15:60Z",
                    "2013-12-0xT21:15:00Z",
                    "2013-12-02 21:15:00Z",
                    "2013-12-02T21:15:00",
                    ""
                }) {
            assertThat(IsoInstants.parseCanonical(bad)).as(bad).isEqualTo(-1);
            assertThatThrownBy(() -> IsoInstants.parse(bad))
                    .as(bad)
                    .isInstanceOf(DateTimeParseException.class);
        }
    }
}
