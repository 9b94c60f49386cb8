/**
 * Handoff's state on PostgreSQL, so many instances serve one contact centre: start with
 * {@link dev.handoff.postgres.PostgresHandoffStores#builder(javax.sql.DataSource)}.
 *
 * <p>Every store is bound to one tenant and puts it in every statement; every call takes a connection from the
 * user's {@link javax.sql.DataSource} and has committed (or rolled back) when it returns. Failures are
 * {@link dev.handoff.api.HandoffException}s: retriable while the database is unavailable or read-only (nothing was
 * written), {@link dev.handoff.api.ConfigurationException} when the deployment is wrong.
 */
package dev.handoff.postgres;
