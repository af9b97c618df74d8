package org.openkyc.server.storage;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.ibatis.executor.Executor;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.session.Configuration;

/**
 * Keeps kyc_case_unmet_rules (migration V14) equal to the comment codes of each case, as a MyBatis plugin of the
 * storage layer: {@link CaseMapper#updateStatus} is the only statement that sets a case's status and comment
 * codes, so right after it, in the same transaction, the case's rule rows are written again with its new status.
 * The services above keep writing one plain row; the reviewer queue filters by rule through an index.
 */
@Intercepts({@Signature(type = Executor.class, method = "update", args = {MappedStatement.class, Object.class})})
public final class UnmetRuleRows implements Interceptor {

    private static final String UPDATE_STATUS = CaseMapper.class.getName() + ".updateStatus";
    private static final String DELETE = CaseMapper.class.getName() + ".deleteUnmetRules";
    private static final String INSERT = CaseMapper.class.getName() + ".insertUnmetRules";
    /** What a rule code looks like; anything else is not a code and is not indexed. */
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final Configuration configuration;

    public UnmetRuleRows(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Object plugin(Object target) {
        return Plugins.wrapOnly(Executor.class, target, this);
    }

    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        MappedStatement ms = (MappedStatement) invocation.getArgs()[0];
        Object result = invocation.proceed();
        if (ms.getId().equals(UPDATE_STATUS) && result instanceof Integer n && n > 0) {
            @SuppressWarnings("unchecked") Map<String, Object> p = (Map<String, Object>) invocation.getArgs()[1];
            long caseId = (Long) p.get("id");
            Executor executor = (Executor) invocation.getTarget();
            executor.update(configuration.getMappedStatement(DELETE), Map.of("caseId", caseId));
            Set<String> codes = codes((String) p.get("commentCodes"));
            if (!codes.isEmpty()) {
                executor.update(configuration.getMappedStatement(INSERT), Map.of("caseId", caseId, "codes", codes));
            }
        }
        return result;
    }

    /** The distinct codes of a comment_codes value (one per line). */
    static Set<String> codes(String stored) {
        Set<String> out = new LinkedHashSet<>();
        if (stored != null) {
            for (String c : stored.split("\n")) {
                String code = c.strip();
                if (CODE.matcher(code).matches()) {
                    out.add(code);
                }
            }
        }
        return out;
    }
}
