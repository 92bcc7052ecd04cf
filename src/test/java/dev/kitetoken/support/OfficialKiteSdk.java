package dev.kitetoken.support;

import java.lang.reflect.Field;

import com.zerodhatech.kiteconnect.KiteConnect;

/**
 * The official Kite Java SDK pointed at the fake Kite. The SDK has no setting for its API root (it is a
 * private static of its Routes class, read when a client is built), so the test sets it by reflection.
 */
public final class OfficialKiteSdk {

    private OfficialKiteSdk() {
    }

    public static synchronized KiteConnect client(String apiKey, String rootUrl) {
        try {
            Field root = Class.forName("com.zerodhatech.kiteconnect.Routes").getDeclaredField("_rootUrl");
            root.setAccessible(true);
            root.set(null, rootUrl);
            return new KiteConnect(apiKey);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this version of the Kite SDK keeps its root URL elsewhere", e);
        }
    }
}
