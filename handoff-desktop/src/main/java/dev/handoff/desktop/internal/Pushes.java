package dev.handoff.desktop.internal;

import dev.handoff.api.NonRetriableHandoffException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open sockets and the one thread that pushes to them ({@code handoff-desk-push}): every push task runs there in
 * the order it was queued, so each socket gets its messages in order. Sends do not wait for the network (Jetty queues
 * the frames); a socket that falls too far behind is closed.
 */
final class Pushes {

    private static final Logger LOG = LoggerFactory.getLogger(Pushes.class);

    private final Set<DeskSocket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService pusher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "handoff-desk-push");
        t.setDaemon(true);
        return t;
    });

    void add(DeskSocket s) {
        sockets.add(s);
    }

    boolean remove(DeskSocket s) {
        return sockets.remove(s);
    }

    List<DeskSocket> sockets(Predicate<DeskSocket> which) {
        return sockets.stream().filter(which).toList();
    }

    /** Runs a push task on the push thread, after every task queued before it. */
    void run(Runnable task) {
        try {
            pusher.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Desktop push failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new NonRetriableHandoffException("the agent desktop is closed", e);
        }
    }

    /** Runs a push task unless the desktop is closing (timers and late events after close are dropped). */
    void runIfOpen(Runnable task) {
        if (!pusher.isShutdown()) {
            try {
                run(task);
            } catch (NonRetriableHandoffException e) {
                LOG.debug("Desktop closed; push dropped");
            }
        }
    }

    void close() {
        pusher.shutdown();
        try {
            pusher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
