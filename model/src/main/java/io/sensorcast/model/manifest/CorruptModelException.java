package io.sensorcast.model.manifest;

/** An artifact whose files are missing, unreadable or do not match their SHA-256. */
public final class CorruptModelException extends InvalidModelException {

    private static final long serialVersionUID = 1L;

    public CorruptModelException(String message) {
        super(message);
    }

    public CorruptModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
