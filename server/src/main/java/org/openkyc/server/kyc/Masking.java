package org.openkyc.server.kyc;

/** How personal values are shown in answers. */
public final class Masking {

    private Masking() {
    }

    /**
     * An identity number with all but its leading part replaced by '*':
     * "981112-1234567" becomes "981112-1******" (up to the separator and one
     * more character); without a separator, the first third is kept.
     */
    public static String identityNumber(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        int dash = value.indexOf('-');
        int keep = dash >= 0 && dash + 2 <= value.length() ? dash + 2 : Math.max(1, value.length() / 3);
        StringBuilder sb = new StringBuilder(value.substring(0, keep));
        for (int i = keep; i < value.length(); i++) {
            sb.append(value.charAt(i) == '-' ? '-' : '*');
        }
        return sb.toString();
    }

    /** An IP address with its host part hidden: "203.0.113.7" becomes "203.0.*.*". */
    public static String ipAddress(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (value.contains(".") && !value.contains(":")) {
            String[] p = value.split("\\.");
            return p.length == 4 ? p[0] + "." + p[1] + ".*.*" : "*.*.*.*";
        }
        String[] p = value.split(":");
        return p.length > 2 ? p[0] + ":" + p[1] + ":*" : "*";
    }
}
