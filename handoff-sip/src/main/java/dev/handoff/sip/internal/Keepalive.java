package dev.handoff.sip.internal;

import dev.handoff.sip.CallLeg;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import javax.sip.Dialog;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * In-dialog OPTIONS keepalive of confirmed legs: a phone that stops answering is hung up with BYE (see
 * {@link #keepalive}). Part of {@link SipEngine}; runs on the legs' executors.
 */
final class Keepalive {

    /** The engine's logger, so that logging configured for {@link SipEngine} keeps covering these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(SipEngine.class);

    private final SipEngine engine;

    Keepalive(SipEngine engine) {
        this.engine = engine;
    }

    /** Consecutive unanswered keepalive OPTIONS after which the other side counts as gone: 2. */
    static final int KEEPALIVE_MISSES = 2;

    /** Schedules the first keepalive of a confirmed leg (none when the interval is zero). */
    void start(Leg leg) {
        Duration every = engine.settings().keepaliveInterval();
        if (!every.isZero()) {
            engine.schedule(leg.events, every, () -> keepalive(leg, 0));
        }
    }

    /**
     * In-dialog OPTIONS (not counted as a pending transaction): any answer but 408/481 means the other side is
     * still there; no answer within the OPTIONS timeout twice in a row, or 408/481, ends the call with BYE so a
     * vanished phone does not keep the call (and the bot) open forever. Runs on the leg's executor.
     */
    private void keepalive(Leg leg, int misses) {
        if (leg.state != CallLeg.State.CONFIRMED || engine.isClosed()) {
            return;
        }
        boolean[] settled = {false};
        Runnable missed = () -> {
            if (settled[0]) {
                return;
            }
            settled[0] = true;
            if (misses + 1 >= KEEPALIVE_MISSES) {
                vanished(leg, "no answer to " + KEEPALIVE_MISSES + " keepalive OPTIONS");
            } else {
                keepalive(leg, misses + 1);
            }
        };
        ScheduledFuture<?> noAnswer = engine.schedule(leg.events, engine.settings().optionsTimeout(), missed);
        try {
            engine.sendInDialog(leg, Request.OPTIONS, r -> { }, new ResponseHandler() {
                @Override
                public void response(Response r, Dialog d) {
                    int code = r.getStatusCode();
                    if (code < 200 || settled[0]) {
                        return;
                    }
                    settled[0] = true;
                    noAnswer.cancel(false);
                    if (code == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || code == Response.REQUEST_TIMEOUT) {
                        vanished(leg, "keepalive OPTIONS answered " + code);
                    } else {
                        start(leg);
                    }
                }

                @Override
                public void timeout() {
                    missed.run();
                }
            }, false);
        } catch (RuntimeException e) {
            LOG.debug("keepalive on {} not sent: {}", leg.callId, e.getMessage());
        }
    }

    private void vanished(Leg leg, String why) {
        if (leg.state != CallLeg.State.CONFIRMED) {
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("sessionId", String.valueOf(leg.sessionId))) {
            LOG.info("call {} ended: {}", leg.callId, why);
        }
        engine.hangUp(leg);
    }
}
