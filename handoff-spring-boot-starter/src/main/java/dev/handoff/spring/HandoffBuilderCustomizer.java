package dev.handoff.spring;

import dev.handoff.core.Handoff;

/**
 * Adjusts the {@link Handoff.Builder} after the starter has applied the {@code handoff.*} properties and the
 * application's beans, just before {@code build()}: for anything the properties do not cover (a {@code Clock}, a
 * {@code PolicySelection}, executors). Customizer beans run in their {@code @Order}, on the thread that creates the
 * application context.
 */
@FunctionalInterface
public interface HandoffBuilderCustomizer {

    void customize(Handoff.Builder builder);
}
