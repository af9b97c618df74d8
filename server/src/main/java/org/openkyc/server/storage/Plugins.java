package org.openkyc.server.storage;

import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Plugin;

/** What the product's MyBatis plugins share. */
public final class Plugins {

    private Plugins() {}

    /**
     * {@code target} wrapped by {@code plugin} when it is a {@code type}, else as it is. MyBatis' default
     * {@link Interceptor#plugin} looks the plugin's signatures up by reflection for every executor, statement,
     * parameter and result handler it makes, several times per statement; a plugin's own {@code plugin} calls
     * this with the one kind of object it intercepts.
     */
    public static Object wrapOnly(Class<?> type, Object target, Interceptor plugin) {
        return type.isInstance(target) ? Plugin.wrap(target, plugin) : target;
    }
}
