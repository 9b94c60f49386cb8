package dev.handoff.crm.outbox;

import dev.handoff.core.store.OutboxEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM by {@link OutboxCrashTest}: several threads append pushes to one {@link FileOutbox} and
 * acknowledge every other one, forever, printing {@code ack <contextId>} once an append returned and
 * {@code done <contextId>} once an acknowledgement returned, until the parent kills it with {@code kill -9}.
 */
public final class OutboxChild {

    private OutboxChild() {
    }

    public static void main(String[] args) throws Exception {
        FileOutbox outbox = FileOutbox.open(Path.of(args[0]));
        int threads = Integer.parseInt(args[1]);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            Thread th = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String id = "ctx-w" + worker + "-" + i;
                    OutboxEntry e = outbox.append("webhook", "webhook:" + id, FileOutboxTest.context(id));
                    synchronized (System.out) {
                        System.out.println("ack " + id);
                        System.out.flush();
                    }
                    if (i % 2 == 1) {
                        outbox.acknowledge(e.id(), null);
                        synchronized (System.out) {
                            System.out.println("done " + id);
                            System.out.flush();
                        }
                    }
                }
            });
            workers.add(th);
            th.start();
        }
        for (Thread th : workers) {
            th.join();
        }
    }
}
