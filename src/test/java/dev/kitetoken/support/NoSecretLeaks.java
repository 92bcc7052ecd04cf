package dev.kitetoken.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After every test class: no secret recorded so far appears in the service's log or in any recorded
 * response. Registered for all test classes (JUnit extension auto-detection, see the pom), so the check
 * does not depend on which class runs last.
 */
public class NoSecretLeaks implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) {
        String log = SecretLedger.serviceLogs();
        String responses = SecretLedger.read(SecretLedger.RESPONSES);
        for (String secret : SecretLedger.secrets()) {
            if (log.contains(secret)) {
                throw new AssertionError("a secret (" + secret.length() + " characters, starting "
                        + secret.substring(0, 4) + ") appears in a service log under " + SecretLedger.DIR);
            }
            if (responses.contains(secret)) {
                throw new AssertionError("a secret (" + secret.length() + " characters, starting "
                        + secret.substring(0, 4) + ") appears in a response recorded in " + SecretLedger.RESPONSES);
            }
        }
    }
}
