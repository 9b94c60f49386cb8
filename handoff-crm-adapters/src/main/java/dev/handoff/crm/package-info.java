/**
 * CRM integration for Handoff: {@link dev.handoff.api.spi.CrmAdapter} implementations over OkHttp (signed
 * webhook, HubSpot, Salesforce, Zendesk), their shared transport, auth, field mapping and durable outbox, and
 * {@link dev.handoff.crm.ContextJson}, the canonical context JSON they all send.
 */
package dev.handoff.crm;
