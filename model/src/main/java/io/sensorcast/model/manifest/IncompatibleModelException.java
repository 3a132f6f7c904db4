package io.sensorcast.model.manifest;

/**
 * An intact artifact made for different inputs or by an unsupported format: the message names the
 * field, what was expected and what the artifact has.
 */
public final class IncompatibleModelException extends InvalidModelException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public IncompatibleModelException(String field, Object expected, Object actual) {
        super(field + ": expected " + expected + ", artifact has " + actual);
        this.field = field;
    }

    /** The manifest field that did not match. */
    public String field() {
        return field;
    }
}
