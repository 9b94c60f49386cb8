package dev.handoff.sip;

import dev.handoff.api.Priority;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.spi.TransferListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** The bot's side in a test: a started user agent on a free port, an executor on it, and what they observed. */
final class Bot implements AutoCloseable {

    static final String TICKET = "tkt_7Q2-xZ.9";
    static final String TICKET_HEX = "746b745f3751322d785a2e39";

    final int port;
    final SipUserAgent ua;
    final SipTransferExecutor executor;
    final BlockingQueue<CallLeg> calls = new LinkedBlockingQueue<>();
    final List<CallLeg> ended = new CopyOnWriteArrayList<>();

    Bot() {
        this(b -> b);
    }

    Bot(UnaryOperator<SipTransferExecutor.Builder> config) {
        this(UnaryOperator.identity(), config);
    }

    Bot(UnaryOperator<SipUserAgent.Builder> uaConfig, UnaryOperator<SipTransferExecutor.Builder> config) {
        // port 0: the user agent picks a free port itself and tries another if another build took it first
        ua = uaConfig.apply(SipUserAgent.builder().port(0)).start();
        port = ua.port();
        ua.onIncomingCall(calls::add);
        ua.onCallEnded(ended::add);
        executor = config.apply(SipTransferExecutor.builder(ua)
                .acceptTimeout(Duration.ofSeconds(1))
                .notifyTimeout(Duration.ofSeconds(1))).build();
    }

    CallLeg nextCall(Sipp customer) throws InterruptedException {
        CallLeg leg = calls.poll(10, TimeUnit.SECONDS);
        if (leg == null) {
            throw new AssertionError("no call reached the bot within 10 s\n" + customer.report());
        }
        return leg;
    }

    static TransferRequest request(SessionId session, String agentUri, TransferMode mode) {
        return request(session, agentUri, mode, Duration.ofSeconds(6));
    }

    static TransferRequest request(SessionId session, String agentUri, TransferMode mode, Duration timeout) {
        return new TransferRequest(session, "ctx-1", TICKET, Target.sip("front-desk", agentUri), mode, Priority.NORMAL,
                Map.of("X-Handoff-Reason", "billing-dispute"), timeout);
    }

    /** Records the progress an executor reports, with the time it was reported. */
    static final class Progress implements TransferListener {
        record Step(long nanos, int code, String detail) {
        }

        final List<Step> steps = new CopyOnWriteArrayList<>();

        List<Step> steps() {
            return steps;
        }

        @Override
        public void progress(int code, String detail) {
            steps.add(new Step(System.nanoTime(), code, detail));
        }

        List<Integer> codes() {
            return steps.stream().map(Step::code).toList();
        }

        @Override
        public String toString() {
            return steps.toString();
        }
    }

    TransferResult transfer(TransferRequest request, Progress progress) throws Exception {
        return executor.transfer(request, progress).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        ua.close();
    }
}
