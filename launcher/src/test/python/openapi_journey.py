"""One KYC journey through the REST client generated from the gateway's OpenAPI document.

Run by OpenApiClientIT: python openapi_journey.py CLIENT_DIR BASE_URL CA_PEM API_KEY
Creates a profile, reads its status, reads an unknown profile's status (an error), and prints
what it saw as one JSON line for the test to check.
"""
import json
import sys
import uuid


def main():
    client_dir, base_url, ca_pem, api_key = sys.argv[1:5]
    sys.path.insert(0, client_dir)
    import openkyc_client
    from openkyc_client.exceptions import ApiException

    config = openkyc_client.Configuration(host=base_url)
    config.ssl_ca_cert = ca_pem
    config.api_key["ApiKey"] = api_key
    seen = {}
    with openkyc_client.ApiClient(config) as client:
        kyc = openkyc_client.KycServiceApi(client)
        created = kyc.submit(openkyc_client.SubmitRequest(user_id="openapi-" + uuid.uuid4().hex, country="NL"))
        seen["submitCode"] = created.code
        profile_id = created.data.profile_id
        seen["profileId"] = profile_id
        status = kyc.get_status(profile_id)
        seen["statusCode"] = status.code
        seen["statusProfileId"] = status.data.status.profile_id
        seen["overallStatus"] = status.data.status.overall_status
        try:
            kyc.get_status("nobody0here")
            seen["unknownProfile"] = None
        except ApiException as e:
            seen["unknownProfile"] = e.status
            seen["unknownProfileBody"] = json.loads(e.body)
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
