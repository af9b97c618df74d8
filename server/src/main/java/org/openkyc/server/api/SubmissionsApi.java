package org.openkyc.server.api;

import com.google.api.HttpBody;
import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.util.Locale;
import java.util.Optional;
import org.openkyc.api.submissions.v2.AmlInfo;
import org.openkyc.api.submissions.v2.AmlResult;
import org.openkyc.api.submissions.v2.Attempt;
import org.openkyc.api.submissions.v2.DeleteSubmissionRequest;
import org.openkyc.api.submissions.v2.DeleteSubmissionResponse;
import org.openkyc.api.submissions.v2.GetAmlReportRequest;
import org.openkyc.api.submissions.v2.GetApplicantSubmissionsRequest;
import org.openkyc.api.submissions.v2.GetApplicantSubmissionsResponse;
import org.openkyc.api.submissions.v2.RetryReason;
import org.openkyc.api.submissions.v2.SubmitStep2Request;
import org.openkyc.api.submissions.v2.SubmitStep2Response;
import org.openkyc.api.submissions.v2.GetImageRequest;
import org.openkyc.api.submissions.v2.ReviewOcrData;
import org.openkyc.api.submissions.v2.SubmitStep1Request;
import org.openkyc.api.submissions.v2.SubmitStep1Response;
import org.openkyc.api.submissions.v2.Gender;
import org.openkyc.api.submissions.v2.GetAddressCodeRequest;
import org.openkyc.api.submissions.v2.GetAddressCodeResponse;
import org.openkyc.api.submissions.v2.GetSubmissionsRequest;
import org.openkyc.api.submissions.v2.GetSubmissionsResponse;
import org.openkyc.api.submissions.v2.IdType;
import org.openkyc.api.submissions.v2.KycInfo;
import org.openkyc.api.submissions.v2.KycResult;
import org.openkyc.api.submissions.v2.NextPageKey;
import org.openkyc.api.submissions.v2.Submission;
import org.openkyc.api.submissions.v2.SubmissionData;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.api.submissions.v2.VerificationParams;
import org.openkyc.api.submissions.v2.VerificationResult;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.geo.AddressCode;
import org.openkyc.server.geo.AddressCodeService;
import org.openkyc.server.kyc.CasePage;
import org.openkyc.server.kyc.CaseQuery;
import org.openkyc.server.kyc.CaseService;
import org.openkyc.server.kyc.CaseStatus;
import org.openkyc.server.kyc.KycCase;
import org.openkyc.server.kyc.Masking;
import org.openkyc.server.kyc.Step2Service;
import org.openkyc.server.kyc.SubmissionService;
import org.openkyc.server.screening.ScreeningService;

/**
 * The submissions API (docs/API.md A) over the case service. Maps messages to
 * domain calls and back; no business rule lives here. RPCs whose issue has not
 * landed answer UNIMPLEMENTED naming the RPC (the generated default).
 */
public final class SubmissionsApi extends SubmissionServiceGrpc.SubmissionServiceImplBase {

    private final CaseService cases;
    private final AddressCodeService addressCodes;
    private final ScreeningService screenings;
    private final SubmissionService submissions;
    private final Step2Service step2;

    public SubmissionsApi(CaseService cases, AddressCodeService addressCodes, ScreeningService screenings,
            SubmissionService submissions, Step2Service step2) {
        this.cases = cases;
        this.addressCodes = addressCodes;
        this.screenings = screenings;
        this.submissions = submissions;
        this.step2 = step2;
    }

    /** A4 step 2: one attempt with the selfie and the confirmed fields. */
    @Override
    public void submitStep2(SubmitStep2Request req, StreamObserver<SubmitStep2Response> out) {
        Step2Service.Step2Result r = step2.step2(Caller.current(), new Step2Service.Step2(
                Inputs.id("submissionId", req.getSubmissionId()), req.getFaceImage().toByteArray(),
                Inputs.text("name", req.getName(), Inputs.NAME),
                Inputs.text("date_of_birth", req.getDateOfBirth(), Inputs.CODE),
                Inputs.text("gender", req.getGender(), Inputs.CODE),
                Inputs.text("nationality", req.getNationality(), Inputs.CODE),
                Inputs.text("date_of_issue", req.getDateOfIssue(), Inputs.CODE),
                Inputs.text("date_of_expiry", req.getDateOfExpiry(), Inputs.CODE),
                Inputs.text("identity_number", req.getIdentityNumber(), Inputs.IDENTITY_NUMBER),
                Inputs.text("document_number", req.getDocumentNumber(), Inputs.DOCUMENT_NUMBER)));
        SubmitStep2Response.Builder b = SubmitStep2Response.newBuilder()
                .setKycStatus(KycResult.Value.valueOf(r.kycStatus().wireName()))
                .setRetryCount5(r.retryCount()); // protoc suffixes: retry_count and the retry list clash in Java
        if (r.success()) {
            b.setVerificationResult(VerificationResult.Value.success);
        }
        r.faceSimilarityScore().ifPresent(b::setFaceSimilarityScore);
        r.livenessScore().ifPresent(b::setLivenessScore);
        r.message().ifPresent(b::setMessage);
        r.retry().forEach(x -> b.addRetry7(RetryReason.newBuilder().setRetryCode(x.code()).setRetryMsg(x.message())));
        r.registryCheck().ifPresent(b::setRegistryCheck);
        out.onNext(b.build());
        out.onCompleted();
    }

    /** A2: the approved submissions of one applicant of the caller's tenant. */
    @Override
    public void getApplicantSubmissions(GetApplicantSubmissionsRequest req,
            StreamObserver<GetApplicantSubmissionsResponse> out) {
        var items = step2.applicantSubmissions(Caller.current(), Inputs.id("applicant_id", req.getApplicantId()));
        GetApplicantSubmissionsResponse.Builder b = GetApplicantSubmissionsResponse.newBuilder();
        items.forEach(c -> b.addItems(toSubmission(c, Part.ALL)));
        out.onNext(b.setCount(items.size()).build());
        out.onCompleted();
    }

    /** A3 step 1: reads the document and creates the submission. */
    @Override
    public void submitStep1(SubmitStep1Request req, StreamObserver<SubmitStep1Response> out) {
        Caller caller = Caller.current();
        String idType = req.getIdType() == IdType.Value.ID_TYPE_UNSPECIFIED ? null : req.getIdType().name();
        SubmissionService.Step1Result r = submissions.step1(caller, new SubmissionService.Step1(
                Inputs.text("issuingCountry", req.getIssuingCountry(), Inputs.CODE),
                Inputs.text("email", req.getEmail(), Inputs.EMAIL), idType, req.getIdImage().toByteArray(),
                req.getIdBackImage().toByteArray(), Inputs.text("userid", req.getUserid(), Inputs.USER_ID),
                Inputs.text("cf1", req.getCf1(), Inputs.CUSTOM_FIELD), Inputs.text("cf2", req.getCf2(),
                        Inputs.CUSTOM_FIELD), Inputs.text("cf3", req.getCf3(), Inputs.CUSTOM_FIELD),
                Inputs.text("ip_address", req.getIpAddress(), Inputs.IP_ADDRESS)));
        ReviewOcrData.Builder ocr = ReviewOcrData.newBuilder();
        r.ocr().issueDate().ifPresent(d -> ocr.setOcrIssueDate(d.toString()));
        r.ocr().gender().ifPresent(ocr::setOcrGender);
        r.ocr().nationality().ifPresent(ocr::setOcrNationality);
        r.ocr().birthDate().ifPresent(d -> ocr.setOcrBirthDate(d.toString()));
        r.ocr().name().ifPresent(ocr::setOcrName);
        out.onNext(SubmitStep1Response.newBuilder().setReviewOcrData(ocr).setFileUpload(r.filesStored())
                .setSubmissionId(r.submissionId()).build());
        out.onCompleted();
    }

    /** A8: a stored image of a submission of the caller's tenant, with its real media type. */
    @Override
    public void getImage(GetImageRequest req, StreamObserver<HttpBody> out) {
        Caller caller = Caller.current();
        String id = Inputs.id("submission_id", req.getSubmissionId());
        if ("portraitImage".equals(req.getType().strip())) {
            byte[] portrait = step2.documentPortrait(caller, id).orElseThrow(() -> new DomainException(
                    ErrorCode.NOT_FOUND, "Submission #" + id + " has no portrait on its document"));
            out.onNext(HttpBody.newBuilder().setContentType("image/jpeg").setData(ByteString.copyFrom(portrait))
                    .build());
            out.onCompleted();
            return;
        }
        CaseService.ImageKind kind = switch (req.getType().strip()) {
            case "idImage" -> CaseService.ImageKind.ID_FRONT;
            case "idBackImage" -> CaseService.ImageKind.ID_BACK;
            case "selfieImage" -> CaseService.ImageKind.SELFIE;
            default -> throw DomainException.invalidField("type",
                    "type must be idImage, idBackImage, selfieImage or portraitImage");
        };
        CaseService.StoredImage image = cases.image(caller, id, kind, DomainException::submissionNotFound)
                .orElseThrow(() -> new DomainException(ErrorCode.NOT_FOUND,
                        "Submission #" + id + " has no " + req.getType().strip()));
        out.onNext(HttpBody.newBuilder().setContentType(image.mediaType())
                .setData(ByteString.copyFrom(image.bytes())).build());
        out.onCompleted();
    }

    @Override
    public void getAddressCode(GetAddressCodeRequest req, StreamObserver<GetAddressCodeResponse> out) {
        Caller.current(); // a key is needed, as for every route; the answer holds no tenant data
        AddressCode code = addressCodes.encode(Inputs.text("address", req.getAddress(), Inputs.ADDRESS),
                Inputs.text("language", req.getLanguage(), Inputs.CODE));
        out.onNext(GetAddressCodeResponse.newBuilder()
                .setFormattedAddress(code.formattedAddress())
                .setCompoundCode(code.compoundCode())
                .setGlobalCode(code.globalCode())
                .build());
        out.onCompleted();
    }

    /** A7: the PDF report of a screening of the caller's tenant (the gateway adds Content-Disposition). */
    @Override
    public void getAmlReport(GetAmlReportRequest req, StreamObserver<HttpBody> out) {
        ScreeningService.Report report = screenings.report(Caller.current(),
                Inputs.id("resourceId", req.getResourceId()));
        out.onNext(HttpBody.newBuilder().setContentType("application/pdf")
                .setData(ByteString.copyFrom(report.pdf())).build());
        out.onCompleted();
    }

    @Override
    public void getSubmissions(GetSubmissionsRequest req, StreamObserver<GetSubmissionsResponse> out) {
        Caller caller = Caller.current();
        Part part = Part.parse(req.getRequestType());
        GetSubmissionsResponse.Builder res = GetSubmissionsResponse.newBuilder();
        if (!req.getSubmissionId().isBlank()) {
            KycCase c = cases.get(caller, Inputs.id("submission_id", req.getSubmissionId()),
                    DomainException::submissionNotFound);
            res.addItems(toSubmission(c, part)).setCount(1);
        } else {
            Optional<CaseQuery.Cursor> after = Optional.empty();
            boolean hasId = !req.getNextpageId().isBlank();
            boolean hasDate = !req.getNextpageDate().isBlank();
            if (hasId != hasDate) {
                throw DomainException.invalid("nextpage_id and nextpage_date go together");
            }
            if (hasId) {
                after = Optional.of(new CaseQuery.Cursor(Inputs.id("nextpage_id", req.getNextpageId()),
                        Wire.instant(req.getNextpageDate(), "nextpage_date")));
            }
            Optional<CaseStatus> status = Wire.optionalText(req.getKycResult()).map(v -> CaseStatus.fromWireName(
                    v.toLowerCase(Locale.ROOT)).orElseThrow(() -> DomainException.invalid(
                            "kyc_result must be approved, rejected, pending or incomplete")));
            CaseQuery q = new CaseQuery(Wire.optionalText(Inputs.text("userid", req.getUserid(), Inputs.USER_ID)),
                    Wire.optionalText(Inputs.text("email", req.getEmail(), Inputs.EMAIL)),
                    Wire.optionalDate(req.getStartDate(), "start_date"), Wire.optionalDate(req.getEndDate(), "end_date"),
                    status, Inputs.optionalId("applicant_id", req.getApplicantId()),
                    req.getCount() == 0 ? CaseQuery.DEFAULT_LIMIT : req.getCount(), after);
            CasePage page = cases.list(caller, q);
            page.items().forEach(c -> res.addItems(toSubmission(c, part)));
            res.setCount(page.items().size());
            page.next().ifPresent(n -> res.setNextpageKey(NextPageKey.newBuilder()
                    .setId(n.id()).setCreatedAt(Wire.timestamp(n.createdAt()))));
        }
        out.onNext(res.build());
        out.onCompleted();
    }

    @Override
    public void deleteSubmission(DeleteSubmissionRequest req, StreamObserver<DeleteSubmissionResponse> out) {
        String id = Inputs.id("submission_id", req.getSubmissionId());
        cases.delete(Caller.current(), id, DomainException::submissionNotFound);
        out.onNext(DeleteSubmissionResponse.newBuilder().setMessage("success")
                .setContent("Submission #" + id + " deleted successfully.").build());
        out.onCompleted();
    }

    /** The part of an item a listing asks for (request_type). */
    enum Part {
        ALL, KYC, AML, DATA, OTHERS;

        static Part parse(String value) {
            if (value == null || value.isBlank()) {
                return ALL;
            }
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "kyc" -> KYC;
                case "aml" -> AML;
                case "data" -> DATA;
                case "others" -> OTHERS;
                default -> throw DomainException.invalidField("request_type", "request_type must be kyc, aml, data or others");
            };
        }
    }

    static Submission toSubmission(KycCase c, Part part) {
        Submission.Builder b = Submission.newBuilder().setSubmissionId(c.id());
        if (part == Part.ALL || part == Part.DATA) {
            b.setData(data(c));
        }
        if (part == Part.ALL || part == Part.OTHERS) {
            c.email().ifPresent(b::setEmail);
            c.applicantId().ifPresent(b::setApplicantId);
            b.setCreatedAt(Wire.timestamp(c.createdAt()));
            c.userId().ifPresent(b::setUserid);
        }
        if (part == Part.ALL || part == Part.KYC) {
            b.setKyc(kyc(c));
        }
        if ((part == Part.ALL || part == Part.AML) && (c.amlResourceId().isPresent() || c.amlResult().isPresent())) {
            // Without a resource id the screening could not run (no lists): the result is pending.
            AmlInfo.Builder aml = AmlInfo.newBuilder();
            c.amlResourceId().ifPresent(aml::setResourceId);
            c.amlResult().ifPresent(r -> aml.setResult(AmlResult.Value.valueOf(r)));
            b.setAml(aml);
        }
        return b.build();
    }

    private static SubmissionData data(KycCase c) {
        SubmissionData.Builder d = SubmissionData.newBuilder();
        c.fullName().ifPresent(d::setName);
        c.gender().ifPresent(g -> d.setGender(Gender.Value.valueOf(g)));
        c.nationality().ifPresent(d::setNationality);
        c.dateOfBirth().ifPresent(v -> d.setDateOfBirth(Wire.date(v)));
        c.cf1().ifPresent(d::setCf1);
        c.ipAddress().ifPresent(ip -> d.setIpAddress(Masking.ipAddress(ip)));
        c.issuingCountry().ifPresent(d::setIdcardIssuingCountry);
        c.issueDate().ifPresent(v -> d.setIdcardIssueDate(Wire.date(v)));
        c.idType().ifPresent(t -> d.setIdType(IdType.Value.valueOf(t)));
        c.identityNumberMasked().ifPresent(d::setIdentityNumber);
        return d.build();
    }

    private static KycInfo kyc(KycCase c) {
        KycInfo.Builder k = KycInfo.newBuilder()
                .setResult(KycResult.Value.valueOf(c.status().wireName()))
                .addAllComment(c.comments())
                .addAllCommentCode(c.commentCodes());
        for (KycCase.Attempt a : c.attempts()) {
            Attempt.Builder ab = Attempt.newBuilder().setAttemptCnt(a.number());
            a.livenessScore().ifPresent(ab::setLivenessScore);
            a.faceSimilarityScore().ifPresent(ab::setFaceSimilarityScore);
            VerificationParams.Builder vp = VerificationParams.newBuilder();
            a.fullName().ifPresent(vp::setFullName);
            a.idType().ifPresent(t -> vp.setIdType(IdType.Value.valueOf(t)));
            a.issueDate().ifPresent(d -> vp.setIssueDate(Wire.date(d)));
            a.identityNumberMasked().ifPresent(vp::setIdentityNumber);
            ab.setVerificationParams(vp);
            a.verificationResult().ifPresent(r -> ab.setVerificationResult(VerificationResult.Value.valueOf(r)));
            a.retryMsg().ifPresent(ab::setRetryMsg);
            a.registryCheck().ifPresent(ab::setRegistryCheck);
            k.addAttempts(ab);
        }
        return k.build();
    }
}
