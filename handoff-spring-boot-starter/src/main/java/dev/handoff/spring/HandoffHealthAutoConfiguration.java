package dev.handoff.spring;

import dev.handoff.core.Handoff;
import dev.handoff.crm.outbox.OutboxDispatcher;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.sip.SipUserAgent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The {@code handoff} health contributor (Actuator): {@code stores} (the journals' directory and recovery, or the
 * PostgreSQL schema), {@code audit} (records waiting for an unavailable audit sink; always UP), {@code crm} (the circuit breaker of each {@code CrmHttpClient} bean, and the outbox backlog) and
 * {@code sip} (each {@code SipUserAgent} bean answers an OPTIONS to itself; its last registration), each part present
 * when there is something to check. Not part of the liveness or readiness groups unless the application adds it:
 * an open CRM breaker is worth an alert, not a restart. Off with {@code management.health.handoff.enabled=false}.
 */
@AutoConfiguration(after = HandoffAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(Handoff.class)
@Import(HandoffHealthAutoConfiguration.Contributor.class)
public class HandoffHealthAutoConfiguration {

    /**
     * The composite, named {@code handoff} on the health endpoint. Nested, so that its Actuator condition is only
     * loaded once the class check above has passed (without Actuator the condition class itself is missing).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("handoff")
    @Import({HandoffHealthAutoConfiguration.Crm.class, HandoffHealthAutoConfiguration.Sip.class})
    static class Contributor {

        @Bean
        @ConditionalOnMissingBean(name = "handoffHealthContributor")
        CompositeHealthContributor handoffHealthContributor(HandoffStores stores, ObjectProvider<Handoff> handoff,
                ObjectProvider<HandoffHealthPart> parts) {
            Map<String, HealthContributor> map = new LinkedHashMap<>();
            map.put("stores", HandoffHealth.stores(stores));
            handoff.ifAvailable(h -> map.put("audit", HandoffHealth.audit(h)));
            parts.orderedStream().forEach(p -> map.put(p.name(), p.indicator()));
            return CompositeHealthContributor.fromMap(map);
        }
    }

    /** The CRM circuit breakers, when the application has CrmHttpClient beans. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.handoff.crm.transport.CrmHttpClient")
    @ConditionalOnBean(type = "dev.handoff.crm.transport.CrmHttpClient")
    static class Crm {

        @Bean
        HandoffHealthPart handoffCrmHealth(ObjectProvider<CrmHttpClient> clients, ObjectProvider<OutboxDispatcher> outboxes) {
            return new HandoffHealthPart("crm", CrmHealth.crm(clients.orderedStream().toList(), outboxes.orderedStream().toList()));
        }
    }

    /** The SIP user agents, when the application has SipUserAgent beans. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.handoff.sip.SipUserAgent")
    @ConditionalOnBean(type = "dev.handoff.sip.SipUserAgent")
    static class Sip {

        @Bean
        HandoffHealthPart handoffSipHealth(ObjectProvider<SipUserAgent> agents) {
            List<SipUserAgent> list = agents.orderedStream().toList();
            return new HandoffHealthPart("sip", new SipHealth(list));
        }
    }

    /** One named part of the {@code handoff} health contributor. */
    public record HandoffHealthPart(String name, HealthIndicator indicator) {
    }
}
