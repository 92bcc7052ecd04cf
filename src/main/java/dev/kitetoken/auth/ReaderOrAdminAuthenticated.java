package dev.kitetoken.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/** Marks endpoints open to readers and admins alike: a bearer from KITE_READER_TOKENS or KITE_ADMIN_TOKENS. */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface ReaderOrAdminAuthenticated {
}
