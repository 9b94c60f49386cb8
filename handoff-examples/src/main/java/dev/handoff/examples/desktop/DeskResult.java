package dev.handoff.examples.desktop;

/**
 * What an API action answers: an HTTP status and a JSON body.
 *
 * @param status HTTP status
 * @param json   the body (an {@code {"error": ...}} object for failures)
 */
record DeskResult(int status, String json) {

    static DeskResult ok(String json) {
        return new DeskResult(200, json);
    }

    static DeskResult error(int status, String message) {
        return new DeskResult(status, DeskJson.errorBody(message));
    }
}
