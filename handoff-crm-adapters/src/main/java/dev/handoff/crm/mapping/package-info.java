/** Declarative field mapping from handoff-context paths to CRM fields ({@link dev.handoff.crm.mapping.FieldMapping}). */
package dev.handoff.crm.mapping;
