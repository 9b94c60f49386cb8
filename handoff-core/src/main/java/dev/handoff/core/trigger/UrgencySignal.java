package dev.handoff.core.trigger;

import dev.handoff.api.CustomerData;
import dev.handoff.api.Reason;
import dev.handoff.api.TriggerKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Urgency from the customer's record (repeated contact) and from the session's length; each fires once. */
final class UrgencySignal implements Signal {

    private final TriggerPolicy.Urgency u;

    UrgencySignal(TriggerPolicy.Urgency u) {
        this.u = u;
    }

    @Override
    public List<Fired> evaluate(TurnInput in, SessionState st, List<Fired> fired) {
        if (st == null || !u.enabled() || in.turn.timestamp() == null) {
            return fired;
        }
        long now = in.turn.timestamp().toEpochMilli();
        if (!st.repeatContactFired) {
            CustomerData customer = in.view.customer();
            List<Instant> contacts = customer == null ? List.of() : customer.previousContacts();
            long since = now - u.repeatContactWindow().toMillis();
            int recent = 0;
            for (int i = 0; i < contacts.size(); i++) {
                long at = contacts.get(i).toEpochMilli();
                if (at >= since && at <= now) {
                    recent++;
                }
            }
            if (recent >= u.repeatContacts()) {
                st.repeatContactFired = true;
                fired = Signal.add(fired, new Fired(new Reason(TriggerKind.URGENCY, "urgency.repeat-contact",
                        "The customer contacted us " + Fmt.count(recent, "time", "times") + " in the last "
                                + human(u.repeatContactWindow()) + " before this conversation (limit "
                                + u.repeatContacts() + ")", in.turn.index(), null, (double) recent, (double) u.repeatContacts()),
                        u.priority(), null, false));
            }
        }
        Instant started = in.view.startedAt();
        if (!st.durationFired && started != null) {
            long elapsed = now - started.toEpochMilli();
            long max = u.maxSessionDuration().toMillis();
            if (elapsed > max) {
                st.durationFired = true;
                fired = Signal.add(fired, new Fired(new Reason(TriggerKind.URGENCY, "urgency.duration",
                        "The conversation has lasted " + Fmt.num(elapsed / 60_000.0) + " minutes, over "
                                + Fmt.num(max / 60_000.0), in.turn.index(), null, Fmt.round2(elapsed / 60_000.0),
                        Fmt.round2(max / 60_000.0)), u.priority(), null, false));
            }
        }
        return fired;
    }

    private static String human(Duration d) {
        if (d.toDaysPart() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0) {
            return Fmt.count(d.toDays(), "day", "days");
        }
        if (d.toDaysPart() == 0 && d.toHoursPart() > 0 && d.toMinutesPart() == 0) {
            return Fmt.count(d.toHours(), "hour", "hours");
        }
        return d.toString();
    }
}
