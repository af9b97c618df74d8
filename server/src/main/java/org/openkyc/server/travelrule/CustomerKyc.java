package org.openkyc.server.travelrule;

import java.time.LocalDate;
import java.util.Optional;

/** What the exchange needs to know about this VASP's own customer: their KYC case. */
public interface CustomerKyc {

    /** The customer's KYC data as far as the exchange uses it. */
    record Customer(String caseId, boolean approved, Optional<String> fullName, Optional<LocalDate> dateOfBirth,
            Optional<String> countryAlpha2) {
    }

    /** The case with this id in the tenant, if it exists. */
    Optional<Customer> find(long tenantId, String caseId);
}
