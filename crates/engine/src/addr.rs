//! Addresses: MAC addresses and IPv4 helpers for subnets and ranges.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

/// An Ethernet hardware address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mac(pub [u8; 6]);

impl FromStr for Mac {
    type Err = String;

    fn from_str(text: &str) -> Result<Mac, String> {
        let parts: Vec<&str> = text.trim().split([':', '-']).collect();
        if parts.len() != 6 {
            return Err(format!("'{text}' is not a MAC address like 02:00:00:00:00:01"));
        }
        let mut out = [0u8; 6];
        for (slot, part) in out.iter_mut().zip(&parts) {
            if part.is_empty() || part.len() > 2 {
                return Err(format!("'{text}' is not a MAC address like 02:00:00:00:00:01"));
            }
            *slot = u8::from_str_radix(part, 16)
                .map_err(|_| format!("'{text}' is not a MAC address like 02:00:00:00:00:01"))?;
        }
        Ok(Mac(out))
    }
}

impl serde::Serialize for Mac {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(f, "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2], b[3], b[4], b[5])
    }
}

/// An IPv4 subnet in CIDR form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subnet {
    /// The network address.
    pub network: Ipv4Addr,
    /// Prefix length, 0..=32.
    pub prefix: u8,
}

impl Subnet {
    /// Whether `addr` lies in this subnet.
    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        let mask = self.mask();
        u32::from(addr) & mask == u32::from(self.network) & mask
    }

    /// The netmask as a number.
    pub fn mask(&self) -> u32 {
        if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(self.prefix))
        }
    }

    /// The n-th host address (network + n).
    pub fn host(&self, n: u32) -> Ipv4Addr {
        Ipv4Addr::from((u32::from(self.network) & self.mask()).wrapping_add(n))
    }
}

impl FromStr for Subnet {
    type Err = String;

    fn from_str(text: &str) -> Result<Subnet, String> {
        let bad = || format!("'{text}' is not a subnet like 192.0.2.0/24");
        let (net, prefix) = text.trim().split_once('/').ok_or_else(bad)?;
        let network: Ipv4Addr = net.parse().map_err(|_| bad())?;
        let prefix: u8 = prefix.parse().map_err(|_| bad())?;
        if prefix > 32 {
            return Err(bad());
        }
        Ok(Subnet { network, prefix })
    }
}

impl fmt::Display for Subnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mac_round_trip() {
        let mac: Mac = "02:77:00:00:00:04".parse().unwrap();
        assert_eq!(mac.to_string(), "02:77:00:00:00:04");
        assert!("02:77:00".parse::<Mac>().is_err());
        assert!("zz:77:00:00:00:04".parse::<Mac>().is_err());
    }

    #[test]
    fn subnet_contains() {
        let s: Subnet = "192.0.2.0/24".parse().unwrap();
        assert!(s.contains("192.0.2.200".parse().unwrap()));
        assert!(!s.contains("192.0.3.1".parse().unwrap()));
        assert_eq!(s.host(1), Ipv4Addr::new(192, 0, 2, 1));
    }
}
