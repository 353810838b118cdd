//! A small DEFLATE encoder (RFC 1951) for share links.
//!
//! One final block with the fixed Huffman codes of RFC 1951 §3.2.6, and
//! greedy LZ77 matching through a hash of the next three bytes with a short
//! chain of earlier positions. Scenario JSON is repetitive text, so this
//! packs it nearly as well as a full encoder while staying a few hundred
//! bytes of code in the page. Any DEFLATE decoder reads the output; the
//! engine reads links with `miniz_oxide`'s inflater.

/// The LZ77 window: how far back a match may start.
const WINDOW: usize = 32 * 1024;
/// The longest and shortest matches DEFLATE can express.
const MAX_MATCH: usize = 258;
const MIN_MATCH: usize = 3;
/// Earlier positions tried per byte (more finds longer matches, slower).
const CHAIN: usize = 16;
const HASH_BITS: u32 = 13;

/// Base lengths of length codes 257–285 and their extra bits.
const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] =
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
/// Base distances of distance codes 0–29 and their extra bits.
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Bits written least significant first, as DEFLATE packs them.
struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code, which DEFLATE sends most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        self.put(code.reverse_bits() >> (32 - len), len);
    }

    /// The fixed literal/length code of `symbol` (0–287).
    fn symbol(&mut self, symbol: u16) {
        let s = u32::from(symbol);
        match symbol {
            0..=143 => self.code(0x30 + s, 8),
            144..=255 => self.code(0x190 + s - 144, 9),
            256..=279 => self.code(s - 256, 7),
            _ => self.code(0xc0 + s - 280, 8),
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// The index of the last table entry not above `value`.
fn bucket(table: &[u16], value: usize) -> usize {
    table.partition_point(|&b| usize::from(b) <= value) - 1
}

fn hash(data: &[u8], at: usize) -> usize {
    let v = u32::from(data[at]) << 16 | u32::from(data[at + 1]) << 8 | u32::from(data[at + 2]);
    (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
}

/// Records position `at` in the hash chains.
fn insert(data: &[u8], at: usize, head: &mut [usize], prev: &mut [usize]) {
    if at + MIN_MATCH <= data.len() {
        let h = hash(data, at);
        prev[at] = head[h];
        head[h] = at;
    }
}

/// `data` as a raw DEFLATE stream (no zlib or gzip framing).
pub fn compress(data: &[u8]) -> Vec<u8> {
    let mut bits = Bits { out: Vec::with_capacity(data.len() / 2 + 16), acc: 0, n: 0 };
    // One final block (BFINAL 1) with fixed codes (BTYPE 01).
    bits.put(0b011, 3);
    let mut head = vec![usize::MAX; 1 << HASH_BITS];
    let mut prev = vec![usize::MAX; data.len()];
    let mut i = 0;
    while i < data.len() {
        let (mut best_len, mut best_dist) = (0, 0);
        if i + MIN_MATCH <= data.len() {
            let mut candidate = head[hash(data, i)];
            let limit = MAX_MATCH.min(data.len() - i);
            for _ in 0..CHAIN {
                if candidate == usize::MAX || i - candidate > WINDOW {
                    break;
                }
                let len = (0..limit).take_while(|&k| data[candidate + k] == data[i + k]).count();
                if len > best_len {
                    (best_len, best_dist) = (len, i - candidate);
                }
                candidate = prev[candidate];
            }
        }
        if best_len >= MIN_MATCH {
            let l = bucket(&LENGTH_BASE, best_len);
            bits.symbol(257 + l as u16);
            bits.put((best_len - usize::from(LENGTH_BASE[l])) as u32, u32::from(LENGTH_EXTRA[l]));
            let d = bucket(&DIST_BASE, best_dist);
            bits.code(d as u32, 5);
            bits.put((best_dist - usize::from(DIST_BASE[d])) as u32, u32::from(DIST_EXTRA[d]));
            for at in i..i + best_len {
                insert(data, at, &mut head, &mut prev);
            }
            i += best_len;
        } else {
            bits.symbol(u16::from(data[i]));
            insert(data, i, &mut head, &mut prev);
            i += 1;
        }
    }
    bits.symbol(256);
    bits.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(data: &[u8]) -> usize {
        let packed = compress(data);
        let back = miniz_oxide::inflate::decompress_to_vec(&packed).expect("inflates");
        assert_eq!(back, data);
        packed.len()
    }

    #[test]
    fn inflates_back_exactly() {
        round_trip(b"");
        round_trip(b"a");
        round_trip(b"abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc");
        let long: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        round_trip(&long);
        let runs = vec![b'x'; 70_000];
        assert!(round_trip(&runs) < 1000, "long runs use long matches");
        let all: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        round_trip(&all);
    }

    #[test]
    fn every_length_and_distance_code_is_reached() {
        // Matches of every length 3..=258 at growing distances.
        let mut data = Vec::new();
        for len in 3..=258usize {
            let start = data.len();
            data.extend((0..len).map(|k| (k * 31 + len) as u8));
            data.extend(std::iter::repeat_n(0xffu8, len % 7 + 1));
            let copy: Vec<u8> = data[start..start + len].to_vec();
            data.extend(copy);
        }
        round_trip(&data);
    }
}
