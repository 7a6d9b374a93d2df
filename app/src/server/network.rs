//! Who the client is, as the rate limits count it: the TCP peer, or, when that peer is a
//! reverse proxy the self-hoster trusts (`--trusted-proxy`), the client it names in `Forwarded`
//! (RFC 7239) or `X-Forwarded-For`. Behind a proxy without this, every user would share the
//! proxy's one address and one limit; trusting the headers from anyone else would let a client
//! name itself anew at each attempt.
//!
//! IPv6 clients count per /64: one home or phone has a whole /64 to pick addresses from.

use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

use http::HeaderMap;

/// An address block, `10.0.0.0/8` or `2001:db8::/32`; a bare address is a block of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

/// Why a `--trusted-proxy` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an address or address block (such as 10.0.0.0/8 or ::1): {0}")]
pub struct CidrError(String);

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(text: &str) -> Result<Self, CidrError> {
        let refuse = || CidrError(text.to_owned());
        let (address, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().map_err(|_| refuse())?)),
            None => (text.trim(), None),
        };
        let network = canonical(address.parse::<IpAddr>().map_err(|_| refuse())?);
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(bits);
        if prefix > bits {
            return Err(refuse());
        }
        Ok(Self { network, prefix })
    }
}

impl Cidr {
    /// Whether `ip` lies in the block.
    ///
    /// ```
    /// use app::server::network::Cidr;
    /// let lan: Cidr = "10.1.0.0/16".parse().unwrap();
    /// assert!(lan.contains("10.1.200.3".parse().unwrap()));
    /// assert!(!lan.contains("10.2.0.1".parse().unwrap()));
    /// assert!(lan.contains("::ffff:10.1.0.9".parse().unwrap()));
    /// ```
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address written as IPv6 (`::ffff:a.b.c.d`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The key a client's attempts are counted under: the IPv4 address, or the IPv6 /64.
///
/// ```
/// use app::server::network::address_key;
/// assert_eq!(address_key("192.0.2.7".parse().unwrap()), "192.0.2.7");
/// assert_eq!(address_key("2001:db8:1:2:aaaa::1".parse().unwrap()), "2001:db8:1:2::/64");
/// assert_eq!(address_key("::ffff:192.0.2.7".parse().unwrap()), "192.0.2.7");
/// ```
pub fn address_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{}/64", Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
    }
}

/// How the server sees its clients.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    /// Peers whose `Forwarded` / `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<Cidr>,
    /// The origin browsers reach the server at (`https://stride.example.org`), from
    /// `--public-url`: it says whether cookies are `Secure` (and `__Host-` prefixed) and which
    /// `Origin` state-changing requests must come from. `None`: plain HTTP, and the `Host` the
    /// browser sent names the origin.
    pub public_origin: Option<String>,
}

/// Why a `--public-url` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the public URL must be http(s)://HOST[:PORT] with nothing after it: {0}")]
pub struct PublicUrlError(String);

/// The origin of a public URL, lower case, without a trailing slash.
///
/// ```
/// use app::server::network::public_origin;
/// assert_eq!(public_origin("https://Stride.Example.org/").unwrap(), "https://stride.example.org");
/// assert!(public_origin("stride.example.org").is_err());
/// assert!(public_origin("https://stride.example.org/app").is_err());
/// ```
pub fn public_origin(url: &str) -> Result<String, PublicUrlError> {
    let refuse = || PublicUrlError(url.to_owned());
    let url = url.trim().trim_end_matches('/').to_lowercase();
    let (scheme, host) = url.split_once("://").ok_or_else(refuse)?;
    let host_ok = !host.is_empty() && !host.contains(['/', '?', '#', '@', ' ']);
    if !(scheme == "https" || scheme == "http") || !host_ok {
        return Err(refuse());
    }
    Ok(url)
}

impl Network {
    /// Whether browsers reach the server over HTTPS (as `--public-url` says).
    pub fn secure(&self) -> bool {
        self.public_origin
            .as_deref()
            .is_some_and(|o| o.starts_with("https://"))
    }

    /// The name of a cookie: `__Host-` + `base` over HTTPS (the browser then refuses the cookie
    /// from any other host or path, and without Secure), `base` otherwise.
    pub fn cookie_name(&self, base: &str) -> String {
        if self.secure() {
            format!("__Host-{base}")
        } else {
            base.to_owned()
        }
    }

    fn trusted(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|c| c.contains(ip))
    }

    /// The client of a request from `peer`, as a rate-limit key ([`address_key`]): the peer
    /// itself unless it is a trusted proxy; then the nearest address in the forwarding chain
    /// that is not a trusted proxy (a client can write anything at the chain's far end, so
    /// the chain is read from the proxy's side). `unknown` without a peer.
    pub fn client_key(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> String {
        let Some(peer) = peer else {
            return "unknown".to_owned();
        };
        if !self.trusted(peer) {
            return address_key(peer);
        }
        let chain = forwarded_for(headers);
        let client = chain
            .iter()
            .rev()
            .find(|ip| !self.trusted(**ip))
            .or(chain.first())
            .copied()
            .unwrap_or(peer);
        address_key(client)
    }
}

/// The addresses a request passed through, client first: `Forwarded`'s `for=` parameters when
/// it is sent, else `X-Forwarded-For`. Obfuscated and `unknown` names are left out.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_owned())
            .collect()
    };
    let forwarded = values("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (name, value) = pair.trim().split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| node_address(value))?
                })
            })
            .collect();
    }
    values("x-forwarded-for")
        .iter()
        .filter_map(|v| node_address(v))
        .collect()
}

/// The address of a node name: `192.0.2.1`, `"192.0.2.1:4711"`, `"[2001:db8::1]:4711"`,
/// `2001:db8::1`.
fn node_address(value: &str) -> Option<IpAddr> {
    let value = value.trim().trim_matches('"');
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    value.parse().ok().or_else(|| {
        let (host, port) = value.rsplit_once(':')?;
        port.parse::<u16>().ok()?;
        host.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, HeaderValue::from_static(value));
        }
        h
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn headers_count_only_from_a_trusted_proxy() {
        let open = Network::default();
        let proxied = Network {
            trusted_proxies: vec!["10.0.0.0/8".parse().unwrap(), "::1".parse().unwrap()],
            ..Network::default()
        };
        let forged = headers(&[("x-forwarded-for", "203.0.113.9")]);
        // From anyone else, the header is the client's own words: ignored.
        assert_eq!(open.client_key(ip("198.51.100.4"), &forged), "198.51.100.4");
        assert_eq!(
            proxied.client_key(ip("198.51.100.4"), &forged),
            "198.51.100.4"
        );
        // From the proxy, the client it names.
        assert_eq!(proxied.client_key(ip("10.0.0.2"), &forged), "203.0.113.9");
        assert_eq!(proxied.client_key(ip("::1"), &forged), "203.0.113.9");
        // A client that writes its own X-Forwarded-For first is still named by the proxy's
        // last entry, not by its own.
        let chained = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.7")]);
        assert_eq!(proxied.client_key(ip("10.0.0.2"), &chained), "203.0.113.9");
        // Forwarded (RFC 7239) wins over X-Forwarded-For; IPv6 with a port, per /64.
        let rfc = headers(&[
            (
                "forwarded",
                "for=\"[2001:db8:cafe:1::17]:4711\";proto=https, for=10.0.0.7",
            ),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(
            proxied.client_key(ip("10.0.0.2"), &rfc),
            "2001:db8:cafe:1::/64"
        );
        let port = headers(&[("forwarded", "For=\"192.0.2.43:47011\"")]);
        assert_eq!(proxied.client_key(ip("10.0.0.2"), &port), "192.0.2.43");
        // Nothing usable: the proxy itself.
        let hidden = headers(&[("forwarded", "for=_hidden, for=unknown")]);
        assert_eq!(proxied.client_key(ip("10.0.0.2"), &hidden), "10.0.0.2");
        assert_eq!(open.client_key(None, &forged), "unknown");
    }

    #[test]
    fn blocks_parse_and_refuse() {
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("proxy.example".parse::<Cidr>().is_err());
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
        assert!(!all.contains("::2".parse().unwrap()));
        let v6: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains("2001:db8:ffff::1".parse().unwrap()));
        assert!(!v6.contains("2001:db9::1".parse().unwrap()));
    }
}
