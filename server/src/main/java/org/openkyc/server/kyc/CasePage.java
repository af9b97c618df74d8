package org.openkyc.server.kyc;

import java.util.List;
import java.util.Optional;

/** One page of a case listing and, when more follow, the cursor of the next. */
public record CasePage(List<KycCase> items, Optional<CaseQuery.Cursor> next) {
}
