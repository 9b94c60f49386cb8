/**
 * Handoff PostgreSQL stores: contexts, the commitment ledger and its deadlines, the audit table, single-use tickets,
 * the CRM outbox, retention and erasure, with the schema's migrations. Only {@code dev.handoff.postgres} is exported; the JDBC
 * helpers and the migration runner stay in {@code dev.handoff.postgres.internal}.
 */
module dev.handoff.postgres {
    requires transitive dev.handoff.api;
    requires transitive dev.handoff.core;
    requires transitive java.sql;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires org.postgresql.jdbc;

    exports dev.handoff.postgres;
}
