package org.openkyc.server.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.PluginException;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.reflection.ExceptionUtil;

/** What the product's MyBatis plugins share. */
public final class Plugins {

    /** The methods a plugin class intercepts and the interfaces a proxy needs, per kind of target. */
    private record Wrapping(Class<?>[] interfaces, Set<Method> methods) {
    }

    private record Key(Class<?> plugin, Class<?> target) {
    }

    private static final ConcurrentMap<Key, Wrapping> WRAPPINGS = new ConcurrentHashMap<>();

    private Plugins() {}

    /**
     * {@code target} wrapped by {@code plugin} when it is a {@code type}, else as it is. MyBatis' default
     * {@link Interceptor#plugin} looks the plugin's signatures up by reflection for every executor, statement,
     * parameter and result handler it makes, several times per statement; a plugin's own {@code plugin} calls
     * this with the one kind of object it intercepts. The proxy behaves as MyBatis' {@code Plugin.wrap} makes
     * it, with the signatures read once per plugin and target class.
     */
    public static Object wrapOnly(Class<?> type, Object target, Interceptor plugin) {
        if (!type.isInstance(target)) {
            return target;
        }
        Wrapping w = WRAPPINGS.computeIfAbsent(new Key(plugin.getClass(), target.getClass()), Plugins::wrapping);
        if (w.interfaces().length == 0) {
            return target;
        }
        return Proxy.newProxyInstance(target.getClass().getClassLoader(), w.interfaces(),
                new Intercepting(target, plugin, w.methods()));
    }

    private static Wrapping wrapping(Key key) {
        Intercepts intercepts = key.plugin().getAnnotation(Intercepts.class);
        if (intercepts == null) {
            throw new PluginException("No @Intercepts annotation was found in interceptor " + key.plugin().getName());
        }
        Set<Method> methods = new HashSet<>();
        Set<Class<?>> types = new HashSet<>();
        for (Signature sig : intercepts.value()) {
            try {
                methods.add(sig.type().getMethod(sig.method(), sig.args()));
                types.add(sig.type());
            } catch (NoSuchMethodException e) {
                throw new PluginException("Could not find method on " + sig.type() + " named " + sig.method(), e);
            }
        }
        List<Class<?>> interfaces = new ArrayList<>();
        for (Class<?> c = key.target(); c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (types.contains(i) && !interfaces.contains(i)) {
                    interfaces.add(i);
                }
            }
        }
        return new Wrapping(interfaces.toArray(new Class<?>[0]), Set.copyOf(methods));
    }

    /** MyBatis' {@code Plugin} handler: the intercepted methods go to the plugin, the others to the target. */
    private record Intercepting(Object target, Interceptor plugin, Set<Method> methods) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            try {
                if (methods.contains(method)) {
                    return plugin.intercept(new Invocation(target, method, args));
                }
                return method.invoke(target, args);
            } catch (Exception e) {
                throw ExceptionUtil.unwrapThrowable(e);
            }
        }
    }
}
