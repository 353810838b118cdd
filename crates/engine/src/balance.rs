//! RFC 3074 load balancing as ISC dhcpd applies it.
//!
//! The hash is RFC 3074 §6's Pearson hash: start with the key length, walk
//! the key from its last byte to its first, and mix each byte through a fixed
//! 256-entry permutation. The key is the client-identifier option value when
//! the client sends one (all of it, type byte included), otherwise `chaddr`.
//!
//! ISC's hash bucket assignment (HBA) is a 32-byte bitmap in which a set bit
//! means "the primary answers"; `split N` sets buckets `0..N`. The secondary
//! inverts the decision. Only DHCPDISCOVER is balanced, only in NORMAL, and a
//! client whose `secs` exceeds `load balance max seconds` is answered by both.
//!
//! Not modelled here: pool balancing between FREE and BACKUP (POOLREQ, the
//! rebalance timer); scenarios start with the pool already balanced.

/// The RFC 3074 §6 mixing table.
const MIX: [u8; 256] = [
    251, 175, 119, 215, 81, 14, 79, 191, 103, 49, 181, 143, 186, 157, 0, 232, //
    31, 32, 55, 60, 152, 58, 17, 237, 174, 70, 160, 144, 220, 90, 57, 223, //
    59, 3, 18, 140, 111, 166, 203, 196, 134, 243, 124, 95, 222, 179, 197, 65, //
    180, 48, 36, 15, 107, 46, 233, 130, 165, 30, 123, 161, 209, 23, 97, 16, //
    40, 91, 219, 61, 100, 10, 210, 109, 250, 127, 22, 138, 29, 108, 244, 67, //
    207, 9, 178, 204, 74, 98, 126, 249, 167, 116, 34, 77, 193, 200, 121, 5, //
    20, 113, 71, 35, 128, 13, 182, 94, 25, 226, 227, 199, 75, 27, 41, 245, //
    230, 224, 43, 225, 177, 26, 155, 150, 212, 142, 218, 115, 241, 73, 88, 105, //
    39, 114, 62, 255, 192, 201, 145, 214, 168, 158, 221, 148, 154, 122, 12, 84, //
    82, 163, 44, 139, 228, 236, 205, 242, 217, 11, 187, 146, 159, 64, 86, 239, //
    195, 42, 106, 198, 118, 112, 184, 172, 87, 2, 173, 117, 176, 229, 247, 253, //
    137, 185, 99, 164, 102, 147, 45, 66, 231, 52, 141, 211, 194, 206, 246, 238, //
    56, 110, 78, 248, 63, 240, 189, 93, 92, 51, 53, 183, 19, 171, 72, 50, //
    33, 104, 101, 69, 8, 252, 83, 120, 76, 135, 85, 54, 202, 125, 188, 213, //
    96, 235, 136, 208, 162, 129, 190, 132, 156, 38, 47, 1, 7, 254, 24, 4, //
    216, 131, 89, 21, 28, 133, 37, 153, 149, 80, 170, 68, 6, 169, 234, 151, //
];

/// The RFC 3074 hash bucket (0..=255) of `key`.
pub fn bucket(key: &[u8]) -> u8 {
    // The seed is the key length, taken modulo 256 like the 8-bit state.
    let mut h = (key.len() % 256) as u8;
    for &byte in key.iter().rev() {
        h = MIX[usize::from(h ^ byte)];
    }
    h
}

/// The hash bucket assignment: which buckets the primary serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hba {
    bits: [u8; 32],
}

impl Hba {
    /// The HBA of `split N`: buckets `0..N` belong to the primary (N is capped at 256).
    pub fn from_split(split: u16) -> Hba {
        let mut bits = [0u8; 32];
        for b in 0..usize::from(split.min(256)) {
            bits[b / 8] |= 1 << (b % 8);
        }
        Hba { bits }
    }

    /// The 32 bytes as ISC sends them in CONNECT (set bit = primary).
    pub fn bytes(&self) -> [u8; 32] {
        self.bits
    }

    /// Whether the primary serves `bucket` (bit `b % 8` of byte `b / 8`, LSB first).
    pub fn primary_serves(&self, bucket: u8) -> bool {
        let b = usize::from(bucket);
        self.bits[b / 8] & (1 << (b % 8)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split(':').filter(|p| !p.is_empty()).map(|p| u8::from_str_radix(p, 16).unwrap()).collect()
    }

    /// The test vectors of the reference notes (§6.6), computed independently there.
    #[test]
    fn rfc3074_vectors() {
        let cases = [
            ("00:11:22:33:44:55", 135),
            ("52:54:00:12:34:56", 156),
            ("aa:bb:cc:dd:ee:ff", 57),
            ("00:00:00:00:00:01", 153),
            ("08:00:27:ab:cd:ef", 26),
            ("01:00:11:22:33:44:55", 223),
            ("01:52:54:00:12:34:56", 253),
            ("68:6f:73:74:31", 206),
            ("0e", 232),
            ("01:02", 170),
            ("", 0),
        ];
        for (key, want) in cases {
            assert_eq!(bucket(&hex(key)), want, "key {key}");
        }
    }

    /// The recorded pair's clients: c1 (…:04) went to the primary, c2 (…:01) to the secondary.
    #[test]
    fn recorded_clients_hash_as_observed() {
        assert_eq!(bucket(&hex("02:77:00:00:00:04")), 92);
        assert_eq!(bucket(&hex("02:77:00:00:00:01")), 201);
        let hba = Hba::from_split(128);
        for mac in ["02:77:00:00:00:04", "02:77:00:00:00:08", "02:77:00:00:00:09"] {
            assert!(hba.primary_serves(bucket(&hex(mac))), "{mac}");
        }
        for mac in ["02:77:00:00:00:01", "02:77:00:00:00:05", "02:77:00:00:00:06"] {
            assert!(!hba.primary_serves(bucket(&hex(mac))), "{mac}");
        }
    }

    #[test]
    fn mixing_table_is_a_permutation_and_splits_evenly() {
        let mut seen = [false; 256];
        for &v in MIX.iter() {
            assert!(!seen[usize::from(v)]);
            seen[usize::from(v)] = true;
        }
        let low = (0..=255u8).filter(|&b| bucket(&[b]) < 128).count();
        assert_eq!(low, 128);
    }

    #[test]
    fn split_bitmap() {
        let hba = Hba::from_split(128);
        assert_eq!(&hba.bytes()[..16], &[0xff; 16]);
        assert_eq!(&hba.bytes()[16..], &[0; 16]);
        assert!(hba.primary_serves(127) && !hba.primary_serves(128));
        assert!(!Hba::from_split(0).primary_serves(0));
        assert!(Hba::from_split(256).primary_serves(255));
    }
}
