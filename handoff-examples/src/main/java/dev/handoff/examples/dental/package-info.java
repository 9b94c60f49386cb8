/**
 * The dental receptionist voice app: an urgent caller ("I'm in a lot of pain") is cold-transferred over SIP to the
 * front desk, which has the context before it answers; with every target failing, the AI keeps the caller.
 */
package dev.handoff.examples.dental;
