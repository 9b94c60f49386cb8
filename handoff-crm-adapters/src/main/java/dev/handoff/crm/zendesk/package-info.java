/** Zendesk Support: user search, a ticket with a private comment per handoff and a task ticket per commitment. */
package dev.handoff.crm.zendesk;
