/**
 * The durable outbox: {@link dev.handoff.crm.outbox.FileOutbox} (one {@link dev.handoff.core.store.OutboxStore}) journals each push before it is sent and
 * {@link dev.handoff.crm.outbox.OutboxDispatcher} delivers it on its own threads until the CRM acknowledges it.
 */
package dev.handoff.crm.outbox;
