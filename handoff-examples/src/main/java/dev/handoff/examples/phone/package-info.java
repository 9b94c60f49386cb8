/**
 * Scripted parties for voice demos and tests, all on 127.0.0.1: the customer's SIP phone
 * ({@link dev.handoff.examples.phone.ScriptedPhone}), a human agent's SIP phone
 * ({@link dev.handoff.examples.phone.AgentPhone}), the person at the agent desktop
 * ({@link dev.handoff.examples.phone.ScriptedDeskAgent}) and the timeline that prints what they all did with the
 * per-phase latency of the handoff ({@link dev.handoff.examples.phone.VoiceTimeline}). The phones are real JAIN-SIP RI
 * user agents (UDP, signalling only) that log through SLF4J.
 */
package dev.handoff.examples.phone;
