package dev.handoff.crm.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.NonRetriableHandoffException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A receiver needs nothing but this module's and handoff-api's classes: the verifier is loaded here in a class
 * loader that cannot see OkHttp, Kotlin, Jackson or SLF4J.
 */
class WebhookVerifierIsolationTest {

    @Test
    void verifies_without_okhttp_jackson_or_slf4j_on_the_class_path() throws Exception {
        URL ours = WebhookVerifier.class.getProtectionDomain().getCodeSource().getLocation();
        URL api = NonRetriableHandoffException.class.getProtectionDomain().getCodeSource().getLocation();
        byte[] body = "{\"contextId\":\"ctx-1\"}".getBytes(StandardCharsets.UTF_8);
        String header = new WebhookSigner(List.of("whsec-0123456789abcdef"), Clock.systemUTC()).sign(body);

        try (URLClassLoader isolated = new URLClassLoader(new URL[] {ours, api}, ClassLoader.getPlatformClassLoader())) {
            assertThat(canLoad(isolated, "okhttp3.OkHttpClient")).isFalse();
            assertThat(canLoad(isolated, "com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
            assertThat(canLoad(isolated, "org.slf4j.LoggerFactory")).isFalse();

            Class<?> verifierClass = isolated.loadClass(WebhookVerifier.class.getName());
            Object builder = verifierClass.getMethod("builder").invoke(null);
            builder.getClass().getMethod("secret", String.class).invoke(builder, "whsec-0123456789abcdef");
            Object verifier = builder.getClass().getMethod("build").invoke(builder);
            Method isValid = verifierClass.getMethod("isValid", String.class, byte[].class);

            assertThat(verifierClass.getClassLoader()).isSameAs(isolated);
            assertThat(isValid.invoke(verifier, header, body)).isEqualTo(true);
            body[2] = 'C';
            assertThat(isValid.invoke(verifier, header, body)).isEqualTo(false);
            Method verify = verifierClass.getMethod("verify", String.class, byte[].class);
            assertThatThrownBy(() -> verify.invoke(verifier, header, body))
                    .isInstanceOf(InvocationTargetException.class)
                    .satisfies(e -> assertThat(e.getCause().getClass().getName()).isEqualTo(WebhookSignatureException.class.getName()));
        }
    }

    private static boolean canLoad(ClassLoader loader, String name) {
        try {
            loader.loadClass(name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
