package dev.kitetoken.status;

/** A Kite user_id as the public status page shows it: the first two and last two characters ({@code AB**34}). */
final class MaskedUserId {

    private MaskedUserId() {
    }

    static String of(String userId) {
        if (userId == null || userId.isEmpty()) {
            return "";
        }
        if (userId.length() <= 4) {
            // Too short to show four characters of it and hide anything.
            return userId.charAt(0) + "*".repeat(userId.length() - 1);
        }
        return userId.substring(0, 2) + "*".repeat(userId.length() - 4) + userId.substring(userId.length() - 2);
    }
}
