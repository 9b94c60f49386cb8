/** HubSpot CRM v3: contact search, notes and tasks associated with the contact. */
package dev.handoff.crm.hubspot;
