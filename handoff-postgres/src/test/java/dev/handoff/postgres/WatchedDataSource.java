package dev.handoff.postgres;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * A pool that calls a hook with the SQL of every statement prepared through its connections, before preparing it,
 * and optionally one as each connection closes and one before each commit: tests count the statements an
 * instance sends, hold one at the database (or a committed one before its caller goes on) to line up what happens
 * meanwhile, or look at a transaction's settings as it commits.
 */
final class WatchedDataSource {

    /** Called with the statement's SQL on the thread that prepares it; may block. */
    @FunctionalInterface
    interface PrepareHook {
        void beforePrepare(String sql) throws Exception;
    }

    private WatchedDataSource() {
    }

    /** Called on the thread that closes a connection, before it goes back to the pool; may block. */
    @FunctionalInterface
    interface CloseHook {
        /** @param lastSql the last statement prepared through the connection, null when none was */
        void beforeClose(String lastSql) throws Exception;
    }

    /**
     * Called before each commit, with the pool's own connection, on the thread that commits: before an explicit
     * commit (the transaction still open: a statement run on it sees the transaction's settings), and before a statement
     * is prepared in auto-commit, which commits on its own as it runs (a statement run on the connection then sees the
     * session's settings: the ones it commits with, unless it changes them itself); may block.
     */
    @FunctionalInterface
    interface CommitHook {
        /**
         * @param lastSql the last statement prepared through the connection (null when none was), or in auto-commit
         *     the statement about to be prepared
         */
        void beforeCommit(Connection connection, String lastSql) throws Exception;
    }

    static DataSource of(DataSource pool, PrepareHook hook) {
        return of(pool, hook, lastSql -> { });
    }

    /** With a hook on each connection's close as well: in auto-commit, after its last statement committed. */
    static DataSource of(DataSource pool, PrepareHook hook, CloseHook onClose) {
        return of(pool, hook, onClose, (connection, lastSql) -> { });
    }

    /** With hooks on each connection's close and before each commit (explicit, or a statement's in auto-commit). */
    static DataSource of(DataSource pool, PrepareHook hook, CloseHook onClose, CommitHook onCommit) {
        ClassLoader loader = WatchedDataSource.class.getClassLoader();
        return (DataSource) Proxy.newProxyInstance(loader, new Class<?>[] {DataSource.class}, (p, m, args) -> {
            Object result = CuttableDataSource.invoke(pool, m, args);
            if (!m.getName().equals("getConnection")) {
                return result;
            }
            Connection c = (Connection) result;
            String[] last = new String[1];
            return Proxy.newProxyInstance(loader, new Class<?>[] {Connection.class}, (cp, cm, cargs) -> {
                if (cm.getName().equals("prepareStatement")) {
                    hook.beforePrepare((String) cargs[0]);
                    last[0] = (String) cargs[0];
                    if (c.getAutoCommit()) {
                        onCommit.beforeCommit(c, last[0]);
                    }
                } else if (cm.getName().equals("close")) {
                    onClose.beforeClose(last[0]);
                } else if (cm.getName().equals("commit")) {
                    onCommit.beforeCommit(c, last[0]);
                }
                return CuttableDataSource.invoke(c, cm, cargs);
            });
        });
    }

}
