package org.openkyc.server.api;

import io.grpc.stub.StreamObserver;
import java.util.Optional;
import org.openkyc.api.travelrule.v1.AddSupportedAssetRequest;
import org.openkyc.api.travelrule.v1.AddSupportedAssetResponse;
import org.openkyc.api.travelrule.v1.AddWalletAddressRequest;
import org.openkyc.api.travelrule.v1.AddWalletAddressResponse;
import org.openkyc.api.travelrule.v1.CounterpartVasp;
import org.openkyc.api.travelrule.v1.ListCounterpartVaspsRequest;
import org.openkyc.api.travelrule.v1.ListCounterpartVaspsResponse;
import org.openkyc.api.travelrule.v1.ListSupportedAssetsRequest;
import org.openkyc.api.travelrule.v1.ListSupportedAssetsResponse;
import org.openkyc.api.travelrule.v1.ListWalletAddressesRequest;
import org.openkyc.api.travelrule.v1.ListWalletAddressesResponse;
import org.openkyc.api.travelrule.v1.RegisterCounterpartVaspRequest;
import org.openkyc.api.travelrule.v1.RegisterCounterpartVaspResponse;
import org.openkyc.api.travelrule.v1.RemoveCounterpartVaspRequest;
import org.openkyc.api.travelrule.v1.RemoveCounterpartVaspResponse;
import org.openkyc.api.travelrule.v1.RemoveSupportedAssetRequest;
import org.openkyc.api.travelrule.v1.RemoveSupportedAssetResponse;
import org.openkyc.api.travelrule.v1.RemoveWalletAddressRequest;
import org.openkyc.api.travelrule.v1.RemoveWalletAddressResponse;
import org.openkyc.api.travelrule.v1.SupportedAsset;
import org.openkyc.api.travelrule.v1.VaspAdminServiceGrpc;
import org.openkyc.api.travelrule.v1.WalletAddress;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.travelrule.VaspRegistry;

/**
 * Administration of the exchange (admin keys only, enforced by the
 * authentication interceptor). Registrations belong to the admin key's tenant;
 * the exchange uses those of the tenant it acts for.
 */
public final class VaspAdminApi extends VaspAdminServiceGrpc.VaspAdminServiceImplBase {

    private final VaspRegistry registry;

    public VaspAdminApi(VaspRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void registerCounterpartVasp(RegisterCounterpartVaspRequest req,
            StreamObserver<RegisterCounterpartVaspResponse> out) {
        CounterpartVasp v = req.getVasp();
        var stored = registry.registerVasp(Caller.current().tenantId(), Inputs.token("vasp.id", v.getId()),
                Inputs.text("vasp.name", v.getName(), Inputs.VASP_NAME),
                Inputs.text("vasp.endpoint", v.getEndpoint(), Inputs.VASP_ENDPOINT), v.getCaCertificatePem());
        out.onNext(RegisterCounterpartVaspResponse.newBuilder().setVasp(vasp(stored)).build());
        out.onCompleted();
    }

    @Override
    public void listCounterpartVasps(ListCounterpartVaspsRequest req, StreamObserver<ListCounterpartVaspsResponse> out) {
        ListCounterpartVaspsResponse.Builder b = ListCounterpartVaspsResponse.newBuilder();
        registry.vasps(Caller.current().tenantId()).forEach(v -> b.addVasps(vasp(v)));
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void removeCounterpartVasp(RemoveCounterpartVaspRequest req, StreamObserver<RemoveCounterpartVaspResponse> out) {
        registry.removeVasp(Caller.current().tenantId(), Inputs.token("id", req.getId()));
        out.onNext(RemoveCounterpartVaspResponse.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void addWalletAddress(AddWalletAddressRequest req, StreamObserver<AddWalletAddressResponse> out) {
        WalletAddress w = req.getWalletAddress();
        var stored = registry.addWallet(Caller.current().tenantId(),
                Inputs.text("walletAddress.address", w.getAddress(), Inputs.WALLET_ADDRESS),
                Inputs.text("walletAddress.network", w.getNetwork(), Inputs.NETWORK),
                w.hasSymbol() ? Optional.of(Inputs.text("walletAddress.symbol", w.getSymbol(), Inputs.SYMBOL))
                        : Optional.empty(), Inputs.id("walletAddress.kycCaseId", w.getKycCaseId()));
        out.onNext(AddWalletAddressResponse.newBuilder().setWalletAddress(wallet(stored)).build());
        out.onCompleted();
    }

    @Override
    public void listWalletAddresses(ListWalletAddressesRequest req, StreamObserver<ListWalletAddressesResponse> out) {
        var page = registry.wallets(Caller.current().tenantId(),
                req.hasKycCaseId() ? Inputs.optionalId("kycCaseId", req.getKycCaseId()) : Optional.empty(),
                req.hasNetwork() ? Wire.optionalText(Inputs.text("network", req.getNetwork(), Inputs.NETWORK))
                        : Optional.empty(),
                req.hasAddress() ? Wire.optionalText(Inputs.text("address", req.getAddress(), Inputs.WALLET_ADDRESS))
                        : Optional.empty(),
                req.hasPage() ? req.getPage() : 1, req.hasRpp() ? req.getRpp() : 10);
        ListWalletAddressesResponse.Builder b = ListWalletAddressesResponse.newBuilder()
                .setCount((int) Math.min(Integer.MAX_VALUE, page.count())).setPage(page.page()).setRpp(page.rpp());
        page.items().forEach(w -> b.addWalletAddresses(wallet(w)));
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void removeWalletAddress(RemoveWalletAddressRequest req, StreamObserver<RemoveWalletAddressResponse> out) {
        registry.removeWallet(Caller.current().tenantId(),
                Inputs.text("address", req.getAddress(), Inputs.WALLET_ADDRESS),
                Inputs.text("network", req.getNetwork(), Inputs.NETWORK),
                req.hasSymbol() ? Optional.of(Inputs.text("symbol", req.getSymbol(), Inputs.SYMBOL)) : Optional.empty());
        out.onNext(RemoveWalletAddressResponse.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void addSupportedAsset(AddSupportedAssetRequest req, StreamObserver<AddSupportedAssetResponse> out) {
        var a = registry.addAsset(Caller.current().tenantId(), req.getAsset().getSymbol(), req.getAsset().getNetwork());
        out.onNext(AddSupportedAssetResponse.newBuilder()
                .setAsset(SupportedAsset.newBuilder().setSymbol(a.symbol()).setNetwork(a.network())).build());
        out.onCompleted();
    }

    @Override
    public void listSupportedAssets(ListSupportedAssetsRequest req, StreamObserver<ListSupportedAssetsResponse> out) {
        ListSupportedAssetsResponse.Builder b = ListSupportedAssetsResponse.newBuilder();
        registry.assets(Caller.current().tenantId()).forEach(a ->
                b.addAssets(SupportedAsset.newBuilder().setSymbol(a.symbol()).setNetwork(a.network())));
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void removeSupportedAsset(RemoveSupportedAssetRequest req, StreamObserver<RemoveSupportedAssetResponse> out) {
        registry.removeAsset(Caller.current().tenantId(), req.getAsset().getSymbol(), req.getAsset().getNetwork());
        out.onNext(RemoveSupportedAssetResponse.getDefaultInstance());
        out.onCompleted();
    }

    private static CounterpartVasp vasp(VaspRegistry.CounterpartVasp v) {
        return CounterpartVasp.newBuilder().setId(v.id()).setName(v.name()).setEndpoint(v.endpoint())
                .setCaCertificatePem(v.caPem()).setRegisteredAt(Wire.timestamp(v.registeredAt())).build();
    }

    private static WalletAddress wallet(VaspRegistry.WalletAddress w) {
        WalletAddress.Builder b = WalletAddress.newBuilder().setAddress(w.address()).setNetwork(w.network())
                .setKycCaseId(w.kycCaseId()).setCreatedAt(Wire.timestamp(w.createdAt()));
        w.symbol().ifPresent(b::setSymbol);
        return b.build();
    }
}
