/** Implementation helpers shared by the adapters; not exported, not API. */
package dev.handoff.crm.internal;
