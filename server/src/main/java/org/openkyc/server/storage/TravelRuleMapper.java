package org.openkyc.server.storage;

import java.time.LocalDateTime;
import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Travel rule: counterpart VASPs, wallet addresses, supported assets and verifications. */
public interface TravelRuleMapper {

    /** A counterpart VASP row. */
    final class VaspRow {
        public Long tenantId;
        public String vaspId;
        public String name;
        public String endpoint;
        public String caPem;
        public LocalDateTime registeredAt;
    }

    /** A customer wallet address row; symbol '' means every asset of the network. */
    final class WalletRow {
        public Long id;
        public Long tenantId;
        public String address;
        public String addressKey;
        public String network;
        public String symbol;
        public String kycCaseId;
        public LocalDateTime createdAt;
    }

    /** A supported asset row. */
    final class AssetRow {
        public String network;
        public String symbol;
    }

    /** A verification row; the IVMS101 persons are encrypted. */
    final class VerificationRow {
        public Long id;
        public Long tenantId;
        public String uuid;
        public String actionType;
        public String result;
        public String reason;
        public String message;
        public String symbol;
        public String network;
        public String amount;
        public Boolean isExceedingThreshold;
        public String tradePrice;
        public String tradeCurrency;
        public LocalDateTime tradeIsoDatetime;
        public String txHash;
        public String vout;
        public String originatingVaspId;
        public String originatorAccountNumber;
        public byte[] ivms101OriginatorEnc;
        public String ivms101OriginatingVasp;
        public String beneficiaryVaspId;
        public String beneficiaryAccountNumber;
        public byte[] ivms101BeneficiaryEnc;
        public String ivms101BeneficiaryVasp;
        public String oppositeVaspId;
        public LocalDateTime verifiedAt;
        public LocalDateTime orderedAt;
        public LocalDateTime createdAt;
    }

    /** Filters of B1, combined with AND; null means not filtered. */
    final class VerificationFilter {
        public long tenantId;
        public LocalDateTime createdFrom;
        public LocalDateTime createdBefore;
        public String symbol;
        public String network;
        public String txHash;
        public String result;
        public String actionType;
        public String oppositeVaspId;
        public String originatorAccountNumber;
        public String beneficiaryAccountNumber;
        public int limit;
        public int offset;
    }

    @Insert("INSERT INTO tr_counterpart_vasps (tenant_id, vasp_id, name, endpoint, ca_pem, registered_at)"
            + " VALUES (#{tenantId}, #{vaspId}, #{name}, #{endpoint}, #{caPem}, #{registeredAt})"
            + " ON DUPLICATE KEY UPDATE name = VALUES(name), endpoint = VALUES(endpoint), ca_pem = VALUES(ca_pem),"
            + " registered_at = VALUES(registered_at)")
    void upsertVasp(VaspRow row);

    @Select("SELECT tenant_id, vasp_id, name, endpoint, ca_pem, registered_at FROM tr_counterpart_vasps"
            + " WHERE tenant_id = #{tenantId} ORDER BY vasp_id")
    List<VaspRow> vasps(long tenantId);

    @Select("SELECT tenant_id, vasp_id, name, endpoint, ca_pem, registered_at FROM tr_counterpart_vasps"
            + " WHERE tenant_id = #{tenantId} AND vasp_id = #{vaspId}")
    VaspRow vasp(@Param("tenantId") long tenantId, @Param("vaspId") String vaspId);

    @Delete("DELETE FROM tr_counterpart_vasps WHERE tenant_id = #{tenantId} AND vasp_id = #{vaspId}")
    int deleteVasp(@Param("tenantId") long tenantId, @Param("vaspId") String vaspId);

    @Insert("INSERT INTO tr_wallet_addresses (tenant_id, address, address_key, network, symbol, kyc_case_id,"
            + " created_at) VALUES (#{tenantId}, #{address}, #{addressKey}, #{network}, #{symbol}, #{kycCaseId},"
            + " #{createdAt})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insertWallet(WalletRow row);

    String WALLET_FILTER = "<where> tenant_id = #{tenantId}"
            + " <if test='caseId != null'> AND kyc_case_id = #{caseId}</if>"
            + " <if test='network != null'> AND network = #{network}</if>"
            + " <if test='addressKey != null'> AND address_key = #{addressKey}</if></where>";

    @Select("<script>SELECT id, tenant_id, address, address_key, network, symbol, kyc_case_id, created_at"
            + " FROM tr_wallet_addresses " + WALLET_FILTER
            + " ORDER BY created_at DESC, id DESC LIMIT #{limit} OFFSET #{offset}</script>")
    List<WalletRow> wallets(@Param("tenantId") long tenantId, @Param("caseId") String caseId,
            @Param("network") String network, @Param("addressKey") String addressKey,
            @Param("limit") int limit, @Param("offset") int offset);

    @Select("<script>SELECT COUNT(*) FROM tr_wallet_addresses " + WALLET_FILTER + "</script>")
    long countWallets(@Param("tenantId") long tenantId, @Param("caseId") String caseId,
            @Param("network") String network, @Param("addressKey") String addressKey);

    @Delete("DELETE FROM tr_wallet_addresses WHERE tenant_id = #{tenantId} AND address_key = #{addressKey}"
            + " AND network = #{network} AND symbol = #{symbol}")
    int deleteWallet(@Param("tenantId") long tenantId, @Param("addressKey") String addressKey,
            @Param("network") String network, @Param("symbol") String symbol);

    @Insert("INSERT INTO tr_supported_assets (tenant_id, network, symbol) VALUES (#{tenantId}, #{network}, #{symbol})")
    void insertAsset(@Param("tenantId") long tenantId, @Param("network") String network,
            @Param("symbol") String symbol);

    @Select("SELECT network, symbol FROM tr_supported_assets WHERE tenant_id = #{tenantId} ORDER BY network, symbol")
    List<AssetRow> assets(long tenantId);

    @Delete("DELETE FROM tr_supported_assets WHERE tenant_id = #{tenantId} AND network = #{network}"
            + " AND symbol = #{symbol}")
    int deleteAsset(@Param("tenantId") long tenantId, @Param("network") String network,
            @Param("symbol") String symbol);

    String VERIFICATION_COLUMNS = "id, tenant_id, uuid, action_type, result, reason, message, symbol, network, amount,"
            + " is_exceeding_threshold, trade_price, trade_currency, trade_iso_datetime, tx_hash, vout,"
            + " originating_vasp_id, originator_account_number, ivms101_originator_enc, ivms101_originating_vasp,"
            + " beneficiary_vasp_id, beneficiary_account_number, ivms101_beneficiary_enc, ivms101_beneficiary_vasp,"
            + " opposite_vasp_id, verified_at, ordered_at, created_at";

    @Insert("INSERT INTO tr_verifications (tenant_id, uuid, action_type, result, reason, message, symbol, network,"
            + " amount, is_exceeding_threshold, trade_price, trade_currency, trade_iso_datetime, tx_hash, vout,"
            + " originating_vasp_id, originator_account_number, ivms101_originator_enc, ivms101_originating_vasp,"
            + " beneficiary_vasp_id, beneficiary_account_number, ivms101_beneficiary_enc, ivms101_beneficiary_vasp,"
            + " opposite_vasp_id, verified_at, ordered_at, created_at) VALUES (#{tenantId}, #{uuid}, #{actionType},"
            + " #{result}, #{reason}, #{message}, #{symbol}, #{network}, #{amount}, #{isExceedingThreshold},"
            + " #{tradePrice}, #{tradeCurrency}, #{tradeIsoDatetime}, #{txHash}, #{vout}, #{originatingVaspId},"
            + " #{originatorAccountNumber}, #{ivms101OriginatorEnc}, #{ivms101OriginatingVasp}, #{beneficiaryVaspId},"
            + " #{beneficiaryAccountNumber}, #{ivms101BeneficiaryEnc}, #{ivms101BeneficiaryVasp}, #{oppositeVaspId},"
            + " #{verifiedAt}, #{orderedAt}, #{createdAt})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insertVerification(VerificationRow row);

    @Select("SELECT " + VERIFICATION_COLUMNS + " FROM tr_verifications WHERE tenant_id = #{tenantId}"
            + " AND uuid = #{uuid} AND action_type = #{actionType}")
    VerificationRow verification(@Param("tenantId") long tenantId, @Param("uuid") String uuid,
            @Param("actionType") String actionType);

    @Update("UPDATE tr_verifications SET tx_hash = #{txHash}, vout = #{vout}, ordered_at = #{at} WHERE id = #{id}")
    int reportTransaction(@Param("id") long id, @Param("txHash") String txHash, @Param("vout") String vout,
            @Param("at") LocalDateTime at);

    String VERIFICATION_FILTER = "<where> tenant_id = #{tenantId}"
            + " AND created_at &gt;= #{createdFrom} AND created_at &lt; #{createdBefore}"
            + " <if test='symbol != null'> AND symbol = #{symbol}</if>"
            + " <if test='network != null'> AND network = #{network}</if>"
            + " <if test='txHash != null'> AND tx_hash = #{txHash}</if>"
            + " <if test='result != null'> AND result = #{result}</if>"
            + " <if test='actionType != null'> AND action_type = #{actionType}</if>"
            + " <if test='oppositeVaspId != null'> AND opposite_vasp_id = #{oppositeVaspId}</if>"
            + " <if test='originatorAccountNumber != null'> AND originator_account_number = #{originatorAccountNumber}</if>"
            + " <if test='beneficiaryAccountNumber != null'> AND beneficiary_account_number = #{beneficiaryAccountNumber}</if>"
            + "</where>";

    /** Newest first. Ids are read first so the deferred join touches only one page of wide rows. */
    @Select("<script>SELECT " + VERIFICATION_COLUMNS + " FROM tr_verifications v JOIN (SELECT id AS page_id FROM"
            + " tr_verifications " + VERIFICATION_FILTER + " ORDER BY created_at DESC, id DESC"
            + " LIMIT #{limit} OFFSET #{offset}) p ON p.page_id = v.id ORDER BY v.created_at DESC, v.id DESC</script>")
    List<VerificationRow> pageVerifications(VerificationFilter filter);

    @Select("<script>SELECT COUNT(*) FROM tr_verifications " + VERIFICATION_FILTER + "</script>")
    long countVerifications(VerificationFilter filter);
}
