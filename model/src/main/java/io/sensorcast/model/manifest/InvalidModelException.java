package io.sensorcast.model.manifest;

/** A model artifact that must not be served: corrupt, or made for other inputs. */
public class InvalidModelException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
