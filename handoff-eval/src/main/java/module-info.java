/** Replays labelled conversations through trigger policies and scores them. */
module dev.handoff.eval {
    requires dev.handoff.core;
    requires com.fasterxml.jackson.databind;
    exports dev.handoff.eval;
}
