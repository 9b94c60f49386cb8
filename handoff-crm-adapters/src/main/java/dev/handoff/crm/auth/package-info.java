/**
 * Credentials for CRM calls: static bearer tokens, API keys, HTTP Basic and the OAuth2 token lifecycle
 * ({@link dev.handoff.crm.auth.OAuth2TokenSource}).
 */
package dev.handoff.crm.auth;
