/**
 * SIP transfer for Handoff: {@link dev.handoff.sip.SipUserAgent} owns the bot's call legs on JAIN-SIP RI and
 * {@link dev.handoff.sip.SipTransferExecutor} moves them to a human with REFER (cold) or consult + REFER/Replaces
 * (warm). The stack logs through SLF4J ({@code dev.handoff.sip.stack}, and SIP messages at TRACE on
 * {@code dev.handoff.sip.wire}).
 */
package dev.handoff.sip;
