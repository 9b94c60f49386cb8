package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The structural half of tenancy (each store's test shows the behaviour): every statement a store prepares names
 * {@code tenant_id} for every table it touches, so no statement can read or change another tenant's rows.
 */
class TenantIsolationTest {

    private static final List<Class<?>> STORES = List.of(PostgresContextStore.class, PostgresCommitmentLedger.class,
            PostgresCommitmentDeadlines.class, PostgresAuditSink.class, PostgresRedeemedTickets.class, PostgresDataRetention.class,
            PostgresChatQueues.class, PostgresHandoffOwnership.class, OwnershipWriter.class, QueueStates.class, PostgresOutbox.class,
            PostgresAgentRelay.class);
    private static final Pattern TABLE = Pattern.compile("(?:FROM|INTO|UPDATE|JOIN)\\s+handoff\\.([a-z_]+)");

    /** The ownership's statements live with its writer thread. */
    private static Object writerOf(PostgresHandoffOwnership ownership) throws ReflectiveOperationException {
        return field(ownership, "writer");
    }

    /** A part of a store that holds statements of its own. */
    private static Object field(Object store, String name) throws ReflectiveOperationException {
        Field f = store.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(store);
    }

    @Test
    void every_prepared_statement_of_every_store_is_bound_to_the_tenant() throws Exception {
        PostgresHandoffStores stores;
        try (var db = EmbeddedDatabase.newDatabase("tenant_isolation", 2)) {
            stores = PostgresHandoffStores.builder(db).build();
        }
        Object[] instances = {stores.contextStore(), stores.commitmentLedger(), stores.commitmentDeadlines(), stores.auditSink(),
                stores.redeemedTickets(), stores.dataRetention(), stores.chatQueues(), stores.ownership(), writerOf(stores.ownership()),
                field(stores.chatQueues(), "states"), stores.outbox(), stores.agentRelay()};
        List<String> statements = new ArrayList<>();
        for (Object store : instances) {
            assertThat(STORES).contains(store.getClass());
            for (Field f : store.getClass().getDeclaredFields()) {
                if (f.getType() == String.class && f.getName().endsWith("Sql") && !Modifier.isStatic(f.getModifiers())) {
                    f.setAccessible(true);
                    statements.add((String) f.get(store));
                } else if (f.getName().equals("sql") && f.getType().isRecord()) {   // the statements of one store, as one record
                    f.setAccessible(true);
                    Object sql = f.get(store);
                    for (var component : f.getType().getRecordComponents()) {
                        component.getAccessor().setAccessible(true);
                        statements.add((String) component.getAccessor().invoke(sql));
                    }
                }
            }
        }

        assertThat(statements).hasSizeGreaterThan(40);
        for (String sql : statements) {
            Matcher m = TABLE.matcher(sql);
            int tables = 0;
            while (m.find()) {
                tables++;
            }
            assertThat(tables).as(sql).isPositive();
            boolean inserts = sql.startsWith("INSERT") || sql.startsWith("WITH");
            long tenantMentions = Pattern.compile("tenant_id").matcher(sql).results().count();
            assertThat(tenantMentions).as("tenant_id for each table in: " + sql).isGreaterThanOrEqualTo(tables);
            if (!inserts) {
                assertThat(sql).as(sql).containsPattern("tenant_id = \\?");
            }
        }
    }
}
