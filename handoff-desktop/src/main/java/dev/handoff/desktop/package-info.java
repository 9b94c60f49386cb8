/**
 * The agent desktop: {@link dev.handoff.desktop.AgentDesktop} (the server, configured by its builder), who may sign in
 * ({@link dev.handoff.desktop.AgentAuthenticator} with its two defaults, {@link dev.handoff.desktop.StaticTokenAuthenticator}
 * and {@link dev.handoff.desktop.HmacTokenAuthenticator}) and what a signed-in person is ({@link dev.handoff.desktop.Agent}).
 */
package dev.handoff.desktop;
