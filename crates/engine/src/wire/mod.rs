//! The simulation's packets as bytes: encoders and decoders for every layer a
//! capture needs.
//!
//! - [`dhcp`]: DHCPv4 messages, the RFC 2131 §2 fixed header, the magic
//!   cookie and the RFC 2132 options the model uses (53, 54, 50, 51, 58, 59,
//!   61), padded to the 300-byte BOOTP minimum as servers send them.
//! - [`failover`]: draft-ietf-dhc-failover-12 messages as ISC dhcpd 4.4 sends
//!   them: the 12-byte header (§6.1), all twelve message types and the option
//!   codes 1 to 29 (§12), with ISC's encodings.
//! - [`binding`]: conversion between the engine's typed failover messages
//!   ([`crate::packet::FailoverMessage`], every type but CONTACT, times in
//!   seconds since the scenario start) and failover frames (Unix seconds on
//!   the wire).
//! - [`net`]: Ethernet II, IPv4 (RFC 791), UDP (RFC 768) and TCP (RFC 9293)
//!   headers with their checksums (RFC 1071), enough to build and read the
//!   frames of a capture.
//!
//! Decoders take any byte slice and answer with a value or a [`WireError`]
//! that names the field and the byte offset; they never panic. Encoders of
//! the fixed-size DHCP form cannot fail; the others fail only when a value
//! does not fit its field.
//!
//! Not modelled: relay agents' options, DHCP option values other than the
//! seven above (the decoder keeps them as raw bytes), IP fragments, IPv6,
//! TCP options other than MSS, the failover message-digest check (the option
//! is kept as bytes), and the inner layout of the failover DDNS option.

pub mod binding;
pub mod dhcp;
pub mod failover;
pub mod net;

pub use binding::{decode_failover, encode_failover, frame_from_message, message_from_frame};
pub use dhcp::{decode_dhcp, encode_dhcp};
pub use failover::{FailoverOption, Frame, MessageType};

/// Why bytes could not be decoded, or a value could not be encoded.
///
/// Offsets count from the first byte of the message being decoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The bytes stop before a field does.
    #[error("{field} at byte {offset} needs {needed} bytes, but only {available} remain")]
    Truncated {
        /// The field being read.
        field: &'static str,
        /// Where it starts.
        offset: usize,
        /// Its size.
        needed: usize,
        /// Bytes left from `offset` on.
        available: usize,
    },
    /// A field holds a value the format does not allow.
    #[error("{field} at byte {offset} is {value}, but {expected}")]
    BadValue {
        /// The field.
        field: &'static str,
        /// Where it starts.
        offset: usize,
        /// What was found.
        value: u64,
        /// What is allowed, in words.
        expected: &'static str,
    },
    /// An option's length does not suit its type.
    #[error("option {code} at byte {offset} has length {length}, but {expected}")]
    BadOptionLength {
        /// The option code.
        code: u16,
        /// Where the option starts.
        offset: usize,
        /// The length found.
        length: usize,
        /// What is allowed, in words.
        expected: &'static str,
    },
    /// A required option is absent.
    #[error("{message} has no {option} option (options end at byte {offset})")]
    MissingOption {
        /// The message kind.
        message: &'static str,
        /// The missing option.
        option: &'static str,
        /// Where the options end.
        offset: usize,
    },
    /// An option that may appear once appears again.
    #[error("option {code} appears a second time at byte {offset}")]
    DuplicateOption {
        /// The option code.
        code: u16,
        /// Where the second copy starts.
        offset: usize,
    },
    /// Bytes follow the end of a message whose length is fixed by its header.
    #[error("{extra} unexpected bytes after the {what} ending at byte {offset}")]
    TrailingBytes {
        /// What ended.
        what: &'static str,
        /// Where it ended.
        offset: usize,
        /// How many bytes follow.
        extra: usize,
    },
    /// The message is well formed but of a kind the engine's model lacks.
    #[error("{what} at byte {offset} is not modelled: {detail}")]
    NotModelled {
        /// The field that says so.
        what: &'static str,
        /// Where it is.
        offset: usize,
        /// What was found.
        detail: String,
    },
    /// A time falls outside what the field or the scenario can hold.
    #[error("{field} {value} is out of range: {expected}")]
    TimeOutOfRange {
        /// The field.
        field: &'static str,
        /// The value, in the unit of the side that holds it.
        value: u64,
        /// What is allowed, in words.
        expected: &'static str,
    },
    /// A value is too large for the length field that must carry it.
    #[error("{what} is {length} bytes long, more than the {max} its length field allows")]
    TooLong {
        /// What is too long.
        what: &'static str,
        /// Its length.
        length: usize,
        /// The limit.
        max: usize,
    },
}

/// A cursor over a message that reports offsets from the message's start.
///
/// Every read checks the length first, so no read can panic.
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Reader<'a> {
    /// A reader over the whole of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0, end: bytes.len() }
    }

    /// A reader over `bytes[start..end]` that still reports offsets into `bytes`.
    pub(crate) fn window(bytes: &'a [u8], start: usize, end: usize) -> Reader<'a> {
        let end = end.min(bytes.len());
        Reader { bytes, pos: start.min(end), end }
    }

    /// The offset of the next byte.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes left before the end of the window.
    pub(crate) fn remaining(&self) -> usize {
        self.end - self.pos
    }

    /// Takes `n` bytes named `field`.
    pub(crate) fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], WireError> {
        if n > self.remaining() {
            return Err(WireError::Truncated {
                field,
                offset: self.pos,
                needed: n,
                available: self.remaining(),
            });
        }
        // `pos + n <= end <= bytes.len()`, checked just above.
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// Takes a fixed-size array.
    pub(crate) fn array<const N: usize>(
        &mut self,
        field: &'static str,
    ) -> Result<[u8; N], WireError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, field)?);
        Ok(out)
    }

    /// One byte.
    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8, WireError> {
        Ok(self.array::<1>(field)?[0])
    }

    /// A big-endian 16-bit number.
    pub(crate) fn u16(&mut self, field: &'static str) -> Result<u16, WireError> {
        Ok(u16::from_be_bytes(self.array(field)?))
    }

    /// A big-endian 32-bit number.
    pub(crate) fn u32(&mut self, field: &'static str) -> Result<u32, WireError> {
        Ok(u32::from_be_bytes(self.array(field)?))
    }

    /// An IPv4 address.
    pub(crate) fn ipv4(&mut self, field: &'static str) -> Result<std::net::Ipv4Addr, WireError> {
        Ok(std::net::Ipv4Addr::from(self.array::<4>(field)?))
    }
}
