/**
 * The B2B sales handshake voice app: a technical objection routes to a solutions engineer by contextual readiness, and
 * a warm SIP transfer bridges the buyer in after the whisper, with the AI's 15% hint flagged for verification.
 */
package dev.handoff.examples.sales;
