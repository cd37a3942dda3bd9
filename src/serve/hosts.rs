//! Who may ask: the preview answers only requests addressed to this machine (a defence
//! against DNS rebinding), and only its own pages may listen for changes.

use std::net::IpAddr;

/// The host names the preview answers to. Addresses written as numbers cannot be used for
/// DNS rebinding, and `localhost` names never leave the machine; any other name must be the
/// one given to `--bind`.
#[derive(Debug)]
pub struct Hosts {
    named: Option<String>,
    port: u16,
}

impl Hosts {
    pub fn for_bind(bind: &str, port: u16) -> Hosts {
        let bind = bind.trim_start_matches('[').trim_end_matches(']');
        let named = bind
            .parse::<IpAddr>()
            .is_err()
            .then(|| bind.to_ascii_lowercase());
        Hosts { named, port }
    }

    /// `host` is a `Host` header value: a name or address, with an optional port.
    pub fn allows(&self, host: &str) -> bool {
        let (name, _) = split_port(host);
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let literal = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .map_or_else(
                || name.parse::<std::net::Ipv4Addr>().is_ok(),
                |n| n.parse::<std::net::Ipv6Addr>().is_ok(),
            );
        literal
            || name == "localhost"
            || name.ends_with(".localhost")
            || self.named.as_deref() == Some(name.as_str())
    }

    /// Browsers send `Origin` (or `Sec-Fetch-Site`) with cross-site requests for event
    /// streams; only this preview's own pages may listen.
    pub fn allows_origin(&self, origin: Option<&str>, fetch_site: Option<&str>) -> bool {
        if let Some(origin) = origin {
            let Some(host) = origin.strip_prefix("http://") else {
                return false;
            };
            let port_matches = split_port(host).1 == Some(self.port);
            return port_matches && self.allows(host);
        }
        match fetch_site {
            Some(site) => {
                site.eq_ignore_ascii_case("same-origin") || site.eq_ignore_ascii_case("none")
            }
            None => true,
        }
    }
}

/// `example:8080` → (`example`, Some(8080)); `[::1]:80` → (`[::1]`, Some(80)).
fn split_port(host: &str) -> (&str, Option<u16>) {
    let bracket_end = host.rfind(']').unwrap_or(0);
    match host.rfind(':') {
        Some(colon) if colon > bracket_end => {
            let port = host[colon + 1..].parse().ok();
            if port.is_some() {
                (&host[..colon], port)
            } else {
                (host, None)
            }
        }
        _ => (host, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_only_to_local_names_and_addresses() {
        let hosts = Hosts::for_bind("127.0.0.1", 1111);
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "[::1]:1111",
            "app.localhost",
            "192.168.1.5:1111",
        ] {
            assert!(hosts.allows(host), "{host}");
        }
        for host in [
            "evil.example:1111",
            "evil.example",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "",
        ] {
            assert!(!hosts.allows(host), "{host}");
        }
        assert!(Hosts::for_bind("preview.lan", 1111).allows("Preview.LAN:1111"));
    }

    #[test]
    fn lets_only_the_preview_own_pages_listen() {
        let hosts = Hosts::for_bind("127.0.0.1", 1111);
        assert!(hosts.allows_origin(Some("http://localhost:1111"), None));
        assert!(!hosts.allows_origin(Some("http://localhost:2222"), None));
        assert!(!hosts.allows_origin(Some("http://evil.example:1111"), None));
        assert!(!hosts.allows_origin(Some("https://localhost:1111"), None));
        assert!(hosts.allows_origin(None, Some("same-origin")));
        assert!(!hosts.allows_origin(None, Some("cross-site")));
        assert!(hosts.allows_origin(None, None));
    }

    #[test]
    fn splits_ports() {
        assert_eq!(split_port("a:80"), ("a", Some(80)));
        assert_eq!(split_port("[::1]:80"), ("[::1]", Some(80)));
        assert_eq!(split_port("[::1]"), ("[::1]", None));
        assert_eq!(split_port("a"), ("a", None));
    }
}
