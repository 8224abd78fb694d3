//! Authorising requests to an HTTP target: real SigV4, or a well-formed fake for emulators.
//!
//! Emulators check no signature but still read the `Authorization` header: moto routes a
//! request to Lambda (rather than S3) by the credential scope `.../<region>/lambda/aws4_request`
//! and takes the region from it. The fake header carries exactly that scope, so emulators need
//! no credentials at all. The same goes for IAM (`.../iam/aws4_request`), which `--create-role`
//! calls at the same endpoint.

#[cfg(feature = "sigv4")]
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
#[cfg(feature = "sigv4")]
use aws_sigv4::sign::v4;
use std::fmt;
use std::time::SystemTime;

use super::CurlAuth;

/// The service a request is for: its name in the credential scope, by which emulators that
/// serve every service on one port route it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Lambda,
    Iam,
}

impl Service {
    fn name(self) -> &'static str {
        match self {
            Service::Lambda => "lambda",
            Service::Iam => "iam",
        }
    }
}

/// AWS credentials for SigV4 signing.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    /// For temporary credentials.
    pub session_token: Option<String>,
}

impl fmt::Debug for Credentials {
    /// Never the secret (nor the token), so a debug print of a target cannot leak them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

/// How requests are authorised.
#[derive(Debug, Clone)]
pub enum Signing {
    /// `Authorization: AWS4-HMAC-SHA256 Credential=<account>/<date>/<region>/lambda/aws4_request,
    /// SignedHeaders=host;x-amz-date, Signature=<64 zeros>` plus `x-amz-date`: enough for
    /// emulators (moto, LocalStack, `addperm serve`), refused by AWS.
    Fake { account: String },
    /// AWS Signature Version 4 with these credentials (the official `aws-sigv4` signer;
    /// feature `sigv4`).
    #[cfg(feature = "sigv4")]
    SigV4(Credentials),
}

impl Signing {
    /// The headers that authorise a request to `service`, to add to it. `url` is the full,
    /// already percent-encoded URL exactly as sent.
    #[cfg_attr(not(feature = "sigv4"), allow(unused_variables))] // only SigV4 signs the request
    #[allow(clippy::too_many_arguments)] // the inputs of a signature, one by one
    pub fn headers(
        &self,
        service: Service,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        region: &str,
        now: SystemTime,
    ) -> Result<Vec<(String, String)>, String> {
        match self {
            Signing::Fake { account } => Ok(fake_headers(account, service, region, now)),
            #[cfg(feature = "sigv4")]
            Signing::SigV4(credentials) => sigv4(
                credentials,
                service.name(),
                method,
                url,
                headers,
                body,
                region,
                now,
            )
            .map_err(|e| format!("cannot sign the request: {e}")),
        }
    }

    /// How a hand-run curl authorises a request the way this signing does: the fake headers
    /// themselves, or curl's own SigV4 with the credentials left in the environment (a
    /// signature printed in a report would expire in minutes, and the secret must not be
    /// printed at all).
    pub fn curl_auth(&self, region: &str, now: SystemTime) -> CurlAuth {
        match self {
            Signing::Fake { account } => {
                CurlAuth::Headers(fake_headers(account, Service::Lambda, region, now))
            }
            #[cfg(feature = "sigv4")]
            Signing::SigV4(credentials) => CurlAuth::SigV4 {
                region: region.to_string(),
                session_token: credentials.session_token.is_some(),
            },
        }
    }
}

/// The fake signature's headers: a well-formed credential scope, a signature of zeros.
fn fake_headers(
    account: &str,
    service: Service,
    region: &str,
    now: SystemTime,
) -> Vec<(String, String)> {
    let date = amz_date(now);
    vec![
        (
            "authorization".into(),
            format!(
                "AWS4-HMAC-SHA256 Credential={account}/{}/{region}/{}/aws4_request, SignedHeaders=host;x-amz-date, Signature={}",
                &date[..8],
                service.name(),
                "0".repeat(64)
            ),
        ),
        ("x-amz-date".into(), date),
    ]
}

/// The SigV4 headers (`authorization`, `x-amz-date`, `x-amz-security-token`) for a request.
#[cfg(feature = "sigv4")]
#[allow(clippy::too_many_arguments)] // the inputs of a signature, one by one
fn sigv4(
    credentials: &Credentials,
    service: &str,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    region: &str,
    now: SystemTime,
) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    let identity = aws_credential_types::Credentials::new(
        &credentials.access_key_id,
        &credentials.secret_access_key,
        credentials.session_token.clone(),
        None,
        "addperm",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(now)
        .settings(SigningSettings::default())
        .build()?
        .into();
    let signable = SignableRequest::new(
        method,
        url,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )?;
    let (instructions, _signature) = sign(signable, &params)?.into_parts();
    Ok(instructions
        .headers()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

/// `YYYYMMDDTHHMMSSZ` in UTC, SigV4's `x-amz-date`.
fn amz_date(now: SystemTime) -> String {
    let t = time::OffsetDateTime::from(now);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn dates() {
        assert_eq!(amz_date(at(0)), "19700101T000000Z");
        assert_eq!(amz_date(at(1_709_251_199)), "20240229T235959Z");
        assert_eq!(amz_date(at(1_440_938_160)), "20150830T123600Z");
    }

    #[test]
    fn fake_header_carries_the_lambda_scope() {
        let h = Signing::Fake {
            account: "123456789012".into(),
        }
        .headers(
            Service::Lambda,
            "POST",
            "http://x/",
            &[],
            b"",
            "eu-west-1",
            at(1_440_938_160),
        )
        .unwrap();
        assert_eq!(
            h[0].1,
            format!("AWS4-HMAC-SHA256 Credential=123456789012/20150830/eu-west-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature={}", "0".repeat(64))
        );
        assert_eq!(h[1], ("x-amz-date".into(), "20150830T123600Z".into()));
        let iam = Signing::Fake {
            account: "123456789012".into(),
        }
        .headers(
            Service::Iam,
            "POST",
            "http://x/",
            &[],
            b"",
            "us-east-1",
            at(0),
        )
        .unwrap();
        assert!(
            iam[0].1.contains("/19700101/us-east-1/iam/aws4_request,"),
            "{iam:?}"
        );
    }

    fn credentials(key: &str, secret: &str, token: Option<&str>) -> Credentials {
        Credentials {
            access_key_id: key.into(),
            secret_access_key: secret.into(),
            session_token: token.map(str::to_string),
        }
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let shown = format!("{:?}", credentials("AKID", "s3cr3t", Some("t0k")));
        assert!(shown.contains("AKID") && !shown.contains("s3cr3t") && !shown.contains("t0k"));
    }

    /// The `get-vanilla` vector of AWS's SigV4 test suite: proves the signer is called with the
    /// URL, headers and body the way SigV4 means them.
    #[cfg(feature = "sigv4")]
    #[test]
    fn sigv4_matches_the_aws_test_suite() {
        let creds = credentials(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        );
        let h = sigv4(
            &creds,
            "service",
            "GET",
            "https://example.amazonaws.com/",
            &[],
            b"",
            "us-east-1",
            at(1_440_938_160),
        )
        .unwrap();
        let get = |name: &str| h.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        assert_eq!(get("x-amz-date"), Some("20150830T123600Z"));
        assert_eq!(
            get("authorization"),
            Some("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        );
    }

    #[cfg(feature = "sigv4")]
    #[test]
    fn sigv4_for_lambda_signs_content_type_and_session_token() {
        let creds = credentials("AKID", "secret", Some("tok"));
        let url = "http://127.0.0.1:9001/2015-03-31/functions/a%3Ab/policy?Qualifier=1";
        let h = Signing::SigV4(creds)
            .headers(
                Service::Lambda,
                "POST",
                url,
                &[("content-type", "application/json")],
                b"{}",
                "us-east-1",
                at(0),
            )
            .unwrap();
        let auth = &h.iter().find(|(k, _)| k == "authorization").unwrap().1;
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKID/19700101/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="),
            "{auth}"
        );
        assert!(h
            .iter()
            .any(|(k, v)| k == "x-amz-security-token" && v == "tok"));
    }
}
