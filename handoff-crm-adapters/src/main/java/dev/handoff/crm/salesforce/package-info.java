/** Salesforce REST: Contact lookup by SOQL, a Case per handoff and a Task per commitment. */
package dev.handoff.crm.salesforce;
