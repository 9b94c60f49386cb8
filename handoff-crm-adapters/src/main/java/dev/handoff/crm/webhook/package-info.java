/**
 * The generic signed webhook: {@link dev.handoff.crm.webhook.WebhookAdapter} sends,
 * {@link dev.handoff.crm.webhook.WebhookVerifier} is what a receiver uses on its own.
 */
package dev.handoff.crm.webhook;
