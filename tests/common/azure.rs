//! The Azure side of the recorded-peer tests: recorded Resource Manager, Graph and Entra ID
//! answers (tests/recorded/azure) served over TLS from 127.0.0.1 with a throwaway CA, since
//! azure_identity refuses a non-https authority and azure_core will not send a token over http;
//! and the real binary run with a service principal of the peer's tenant, trusting that CA.

use std::path::PathBuf;

use super::peer::{serve, Peer, Reply, Route};

/// The tenant whose token endpoint the peer answers (tests/recorded/azure/token.json).
pub const TENANT: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
pub const CLIENT_ID: &str = "5c7e0000-0000-4000-8000-00000000c11e";
pub const CLIENT_SECRET: &str = "recorded-test-secret";

/// A recorded answer, with `{{base}}` (absolute next-page links) set to the peer's URL.
pub fn recorded(name: &str, base: &str) -> String {
    std::fs::read_to_string(super::root().join("tests/recorded/azure").join(name))
        .unwrap()
        .replace("{{base}}", base)
}

/// A recorded answer served with 200.
pub fn answer(name: &str, base: &str) -> Reply {
    Reply::json(200, recorded(name, base))
}

/// Resource Manager's refusal (403 `AuthorizationFailed`), for a route's every request.
pub fn refused(base: &str) -> Vec<Reply> {
    vec![Reply::json(
        403,
        recorded("authorization-failed.json", base),
    )]
}

/// A TLS peer, a working directory and the CA file the binary trusts.
pub struct Setup {
    pub peer: Peer,
    pub dir: tempfile::TempDir,
    pub ca: PathBuf,
}

/// Serves `routes` (given the peer's base URL) over TLS.
pub fn serve_tls(routes: impl FnOnce(&str) -> Vec<Route>) -> Setup {
    let (tls, ca_pem) = super::peer::tls();
    let peer = serve(routes, Some(tls));
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, ca_pem).unwrap();
    Setup { peer, dir, ca }
}

impl Setup {
    /// The service principal of [`TENANT`], signing in at the peer, trusting its CA.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AZURE_TENANT_ID", TENANT.to_string()),
            ("AZURE_CLIENT_ID", CLIENT_ID.to_string()),
            ("AZURE_CLIENT_SECRET", CLIENT_SECRET.to_string()),
            ("AZURE_AUTHORITY_HOST", self.peer.url.clone()),
            ("SSL_CERT_FILE", self.ca.to_str().unwrap().to_string()),
        ]
    }

    /// Runs `head` (a command and its options), then `azure` with `tail`, Resource Manager and
    /// Graph at the peer, in the working directory.
    pub fn run(&self, head: &[&str], tail: &[&str]) -> super::Run {
        let mut args = head.to_vec();
        args.push("azure");
        args.extend_from_slice(tail);
        args.extend_from_slice(&[
            "--arm-endpoint",
            &self.peer.url,
            "--graph-endpoint",
            &self.peer.url,
        ]);
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        super::hipaa_scan_env(&args, self.dir.path(), &env)
    }

    /// The JSON result a run wrote to `out.json` in the working directory.
    pub fn result(&self) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(self.dir.path().join("out.json")).unwrap())
            .unwrap()
    }
}
