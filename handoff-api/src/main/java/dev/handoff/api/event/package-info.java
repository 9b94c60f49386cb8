/** Lifecycle events of a handoff, as a sealed hierarchy, and the listener that receives them. */
package dev.handoff.api.event;
