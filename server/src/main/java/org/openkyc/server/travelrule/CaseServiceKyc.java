package org.openkyc.server.travelrule;

import org.openkyc.server.common.CountryCodes;
import java.util.Optional;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.auth.Role;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.kyc.CaseService;
import org.openkyc.server.kyc.CaseStatus;
import org.openkyc.server.kyc.KycCase;

/** {@link CustomerKyc} over the KYC cases: approved means the case status is approved. */
public final class CaseServiceKyc implements CustomerKyc {

    private final CaseService cases;

    public CaseServiceKyc(CaseService cases) {
        this.cases = cases;
    }

    @Override
    public Optional<Customer> find(long tenantId, String caseId) {
        // The exchange reads its own tenant's cases as the system, never as an outside caller.
        Caller system = new Caller(tenantId, "travel-rule", Role.ADMIN);
        try {
            KycCase c = cases.get(system, caseId, DomainException::submissionNotFound);
            Optional<String> country = c.nationality().or(c::country).flatMap(CountryCodes::toAlpha2);
            return Optional.of(new Customer(c.id(), c.status() == CaseStatus.APPROVED, c.fullName(),
                    c.dateOfBirth(), country));
        } catch (DomainException e) {
            return Optional.empty();
        }
    }
}
