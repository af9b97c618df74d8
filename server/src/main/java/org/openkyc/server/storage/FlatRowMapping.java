package org.openkyc.server.storage;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ibatis.executor.resultset.DefaultResultSetHandler;
import org.apache.ibatis.executor.resultset.ResultSetHandler;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.mapping.ResultMap;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.type.JdbcType;
import org.apache.ibatis.type.TypeHandler;
import org.apache.ibatis.type.TypeHandlerRegistry;

/**
 * Maps the rows of the busiest statements (a status read, a list page) the way MyBatis' automatic mapping
 * does (column {@code document_public_id} to field {@code documentPublicId}, the type handler MyBatis picks
 * for the field's type and the column's JDBC type, nulls left unset) but plans it once per statement instead
 * of once per execution, and reads each column by position: MyBatis looked every column's property up by
 * reflection and every value up by name on each call, about a quarter of a status read's CPU in the server.
 * Statements with explicit or nested result maps, and any statement whose columns do not all find a field
 * and a handler, are left to MyBatis.
 */
@Intercepts(@Signature(type = ResultSetHandler.class, method = "handleResultSets", args = {Statement.class}))
final class FlatRowMapping implements Interceptor {

    private static final Field MAPPED_STATEMENT = mappedStatementField();

    private final Set<String> statements;
    private final TypeHandlerRegistry types;
    /** The last plan of each statement, with the columns it was made for. */
    private final Map<String, Planned> plans = new ConcurrentHashMap<>();

    FlatRowMapping(Set<String> statements, TypeHandlerRegistry types) {
        this.statements = Set.copyOf(statements);
        this.types = types;
    }

    private record Plan(Constructor<?> constructor, Field[] fields, TypeHandler<?>[] handlers) {
    }

    /** A plan, or none when the statement's rows cannot be planned, for these column labels. */
    private record Planned(String[] labels, Optional<Plan> plan) {
    }

    @Override
    public Object plugin(Object target) {
        return Plugins.wrapOnly(ResultSetHandler.class, target, this);
    }

    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        if (MAPPED_STATEMENT == null || !(invocation.getTarget() instanceof DefaultResultSetHandler handler)) {
            return invocation.proceed();
        }
        MappedStatement ms = (MappedStatement) MAPPED_STATEMENT.get(handler);
        if (!statements.contains(ms.getId()) || ms.getResultMaps().size() != 1) {
            return invocation.proceed();
        }
        ResultMap map = ms.getResultMaps().get(0);
        if (!map.getResultMappings().isEmpty() || map.hasNestedResultMaps() || map.getDiscriminator() != null) {
            return invocation.proceed();
        }
        Statement statement = (Statement) invocation.getArgs()[0];
        ResultSet rs = statement.getResultSet();
        if (rs == null) {
            return invocation.proceed();
        }
        Optional<Plan> plan = plan(ms.getId(), map.getType(), rs.getMetaData());
        if (plan.isEmpty()) {
            return invocation.proceed();
        }
        Plan p = plan.get();
        List<Object> rows = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                Object row = p.constructor().newInstance();
                for (int i = 0; i < p.fields().length; i++) {
                    Object value = p.handlers()[i].getResult(rs, i + 1);
                    if (value != null) {
                        p.fields()[i].set(row, value);
                    }
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * The statement's plan when its columns are those it was made for (a dynamic statement keeps its columns;
     * checked anyway, without building a key on every call), else a new one.
     */
    private Optional<Plan> plan(String id, Class<?> type, ResultSetMetaData meta) throws SQLException {
        int n = meta.getColumnCount();
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            labels[i] = meta.getColumnLabel(i + 1);
        }
        Planned known = plans.get(id);
        if (known != null && Arrays.equals(known.labels(), labels)) {
            return known.plan();
        }
        Optional<Plan> made = make(type, labels, meta);
        plans.put(id, new Planned(labels, made));
        return made;
    }

    private Optional<Plan> make(Class<?> type, String[] labels, ResultSetMetaData meta) throws SQLException {
        Map<String, Field> byName = new HashMap<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isPublic(m) && !Modifier.isStatic(m) && !Modifier.isFinal(m)) {
                    byName.putIfAbsent(f.getName().toUpperCase(Locale.ENGLISH), f);
                }
            }
        }
        Field[] fields = new Field[labels.length];
        TypeHandler<?>[] handlers = new TypeHandler<?>[labels.length];
        for (int i = 0; i < labels.length; i++) {
            Field f = byName.get(labels[i].replace("_", "").toUpperCase(Locale.ENGLISH));
            if (f == null || f.getType().isPrimitive()) {
                return Optional.empty();
            }
            TypeHandler<?> h = types.getTypeHandler(f.getType(), JdbcType.forCode(meta.getColumnType(i + 1)));
            if (h == null) {
                h = types.getTypeHandler(f.getType());
            }
            if (h == null) {
                return Optional.empty();
            }
            fields[i] = f;
            handlers[i] = h;
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return Optional.of(new Plan(constructor, fields, handlers));
        } catch (NoSuchMethodException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Field mappedStatementField() {
        try {
            Field f = DefaultResultSetHandler.class.getDeclaredField("mappedStatement");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;  // another MyBatis version: everything is left to MyBatis
        }
    }
}
