package dev.handoff.desktop.internal;

import dev.handoff.api.Target;
import dev.handoff.desktop.Agent;

/**
 * Who may see a handoff. Nobody outside its tenant. A supervisor: everything of their tenant. An agent: a handoff one
 * of whose notified targets is them ({@code AGENT} with their id), a queue or target id they belong to, or offers a
 * skill they have; once a desktop agent accepted the chat, only that agent.
 */
final class Access {

    private Access() {
    }

    static boolean canSee(Agent agent, DeskHandoff h) {
        if (!agent.tenant().equals(h.tenant())) {
            return false;
        }
        if (agent.isSupervisor()) {
            return true;
        }
        String acceptedBy = h.acceptedBy();
        if (acceptedBy != null) {
            return acceptedBy.equals(agent.id());
        }
        for (Target t : h.notifiedTargets()) {
            if (matches(agent, t)) {
                return true;
            }
        }
        return false;
    }

    /** May this agent act on it (read, verify, write, hand back)? Agents who can see it; never supervisors. */
    static boolean canAct(Agent agent, DeskHandoff h) {
        return !agent.isSupervisor() && canSee(agent, h);
    }

    static boolean matches(Agent agent, Target t) {
        if (t.kind() == Target.Kind.AGENT) {
            return t.address().equals(agent.id());
        }
        if (agent.queues().contains(t.id()) || (t.kind() == Target.Kind.QUEUE && agent.queues().contains(t.address()))) {
            return true;
        }
        for (String skill : t.skills()) {
            if (agent.skills().contains(skill)) {
                return true;
            }
        }
        return false;
    }
}
