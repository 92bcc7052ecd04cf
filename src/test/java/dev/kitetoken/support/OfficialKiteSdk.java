package dev.kitetoken.support;

import java.lang.reflect.Field;

import com.zerodhatech.kiteconnect.KiteConnect;

/**
 * The official Kite Java SDK pointed at the fake Kite. The SDK has no setting for its API root nor for its
 * ticker's address (private statics of its Routes class, read when a client or a ticker is built), so the test
 * sets them by reflection; the SDK's code runs unchanged.
 */
public final class OfficialKiteSdk {

    private OfficialKiteSdk() {
    }

    public static synchronized KiteConnect client(String apiKey, String rootUrl) {
        setRoute("_rootUrl", rootUrl);
        return new KiteConnect(apiKey);
    }

    /** Every KiteTicker built from now on connects to this address (the SDK's form, with :access_token and :api_key). */
    public static synchronized void tickerAt(String address) {
        setRoute("_wsuri", address);
    }

    private static void setRoute(String field, String value) {
        try {
            Field route = Class.forName("com.zerodhatech.kiteconnect.Routes").getDeclaredField(field);
            route.setAccessible(true);
            route.set(null, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this version of the Kite SDK keeps its " + field + " elsewhere", e);
        }
    }
}
