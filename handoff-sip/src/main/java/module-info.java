/**
 * Handoff SIP: a {@link dev.handoff.api.spi.TransferExecutor} over JAIN-SIP RI.
 */
module dev.handoff.sip {
    requires transitive dev.handoff.api;
    requires jain.sip.ri;
    requires org.slf4j;

    exports dev.handoff.sip;
    // the stack instantiates its loggers reflectively
    exports dev.handoff.sip.internal to jain.sip.ri;
}
