/** Shared parts of the CRM adapters. */
package dev.handoff.crm;
