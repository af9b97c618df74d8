package org.openkyc.server.storage;

import java.time.LocalDateTime;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** What the per-profile liveness cap counts: sessions a case started in a time window. */
public interface LivenessLimitMapper {

    /** Sessions of a case started after a time, and the oldest of them (null when none). */
    final class Window {
        public long started;
        public LocalDateTime oldest;
    }

    /**
     * Locks the case row until the transaction ends, so two concurrent starts for one profile are counted one
     * after the other and the cap cannot be passed by racing.
     */
    @Select("SELECT id FROM kyc_cases WHERE id = #{caseId} FOR UPDATE")
    Long lockCase(@Param("caseId") long caseId);

    @Select("SELECT COUNT(*) AS started, MIN(created_at) AS oldest FROM liveness_sessions"
            + " WHERE case_id = #{caseId} AND created_at > #{since}")
    Window startedSince(@Param("caseId") long caseId, @Param("since") LocalDateTime since);
}
