//! IPv4 and IPv6 CIDR blocks: parsing, containment, and whether a block reaches the internet.

use std::net::IpAddr;

/// A parsed CIDR block such as `10.0.0.0/8` or `::/0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: u128,
    prefix: u8,
    v6: bool,
}

impl Cidr {
    /// Parses `a.b.c.d/n` or `x::y/n`; a bare address is a /32 or /128.
    pub fn parse(text: &str) -> Option<Cidr> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
            None => (text.trim(), None),
        };
        let (addr, v6) = match addr.parse::<IpAddr>().ok()? {
            IpAddr::V4(a) => (u128::from(u32::from(a)), false),
            IpAddr::V6(a) => (u128::from(a), true),
        };
        let bits = if v6 { 128 } else { 32 };
        let prefix = prefix.unwrap_or(bits);
        (prefix <= bits).then_some(Cidr { addr, prefix, v6 })
    }

    fn bits(self) -> u8 {
        if self.v6 { 128 } else { 32 }
    }

    fn network(self) -> u128 {
        let host_bits = u32::from(self.bits() - self.prefix);
        if host_bits >= 128 { 0 } else { self.addr >> host_bits << host_bits }
    }

    /// Whether every address of `other` is in `self`.
    pub fn contains(self, other: Cidr) -> bool {
        if self.v6 != other.v6 || other.prefix < self.prefix {
            return false;
        }
        let narrowed = Cidr { addr: other.addr, prefix: self.prefix, v6: self.v6 };
        narrowed.network() == self.network()
    }

    /// The whole address space: `0.0.0.0/0` or `::/0`.
    pub fn is_everything(self) -> bool {
        self.prefix == 0
    }

    /// Whether the block holds addresses outside the private, shared, loopback and link-local
    /// ranges (RFC 1918, RFC 6598, RFC 4193): addresses reachable from the internet.
    pub fn is_public(self) -> bool {
        let private: &[&str] = if self.v6 {
            &["fc00::/7", "fe80::/10", "::1/128"]
        } else {
            &["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16"]
        };
        !private.iter().filter_map(|p| Cidr::parse(p)).any(|p| p.contains(self))
    }
}

#[cfg(test)]
mod tests {
    use super::Cidr;

    #[test]
    fn parses_contains_and_classifies() {
        let all = Cidr::parse("0.0.0.0/0").unwrap();
        let office = Cidr::parse("203.0.113.0/24").unwrap();
        let host = Cidr::parse("203.0.113.7").unwrap();
        assert!(all.is_everything() && all.is_public());
        assert!(office.contains(host) && !host.contains(office) && all.contains(office));
        assert!(!Cidr::parse("10.1.0.0/16").unwrap().is_public());
        assert!(Cidr::parse("::/0").unwrap().is_everything());
        assert!(!Cidr::parse("fd00::/8").unwrap().is_public());
        assert!(!all.contains(Cidr::parse("::/0").unwrap()));
        for bad in ["", "10.0.0.0/33", "300.0.0.0/8", "x/1", "::/129"] {
            assert!(Cidr::parse(bad).is_none(), "{bad}");
        }
    }
}
