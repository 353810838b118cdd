//! A compact hex dump: the offset, then 16 bytes a line in two groups of
//! eight, inside a `<details>` the reader can fold away. A marked byte range
//! (the field under the pointer) is highlighted.

use std::ops::Range;
use std::rc::Rc;

use web_sys::Element;
use yew::prelude::*;

/// Bytes on one line.
pub const BYTES_PER_LINE: usize = 16;

/// Props of [`HexDump`].
#[derive(Properties, PartialEq)]
pub struct HexDumpProps {
    /// The bytes.
    pub bytes: Rc<Vec<u8>>,
    /// The bytes to highlight.
    pub mark: Option<Range<usize>>,
    /// Whether the dump is unfolded.
    pub open: bool,
    /// Reports the reader folding or unfolding it.
    pub on_toggle: Callback<bool>,
}

/// `#hex-dump`, one `.hex-line` per 16 bytes.
#[function_component(HexDump)]
pub fn hex_dump(props: &HexDumpProps) -> Html {
    let ontoggle = props.on_toggle.reform(|e: Event| {
        e.target_dyn_into::<Element>().is_some_and(|el| el.has_attribute("open"))
    });
    let mark = props.mark.clone().unwrap_or(0..0);
    let lines = props.bytes.chunks(BYTES_PER_LINE).enumerate().map(|(i, chunk)| {
        let offset = i * BYTES_PER_LINE;
        line(offset, chunk, &mark)
    });
    html! {
        <details class="hex" open={props.open} {ontoggle}>
            <summary>{ format!("Bytes · {} in hex", props.bytes.len()) }</summary>
            <div id="hex-dump" class="hex-dump">{ for lines }</div>
        </details>
    }
}

/// One line: offset, then the bytes, with the part inside `mark` in a `<mark>` (the
/// space before the first marked byte stays outside it).
fn line(offset: usize, chunk: &[u8], mark: &Range<usize>) -> Html {
    let local = |at: usize| at.clamp(offset, offset + chunk.len()) - offset;
    let (from, to) = (local(mark.start), local(mark.end.max(mark.start)));
    let text = |r: Range<usize>| hex_bytes(&chunk[r.clone()], r.start, true);
    let marked = (from < to).then(|| {
        let inner = hex_bytes(&chunk[from..to], from, false);
        html! { <>{ separator(from) }<mark>{ inner }</mark></> }
    });
    html! {
        <div class="hex-line" key={offset}>
            <span class="hex-off">{ format!("{offset:04x}  ") }</span>
            <span>{ text(0..from) }</span>
            { for marked }
            <span>{ text(to..chunk.len()) }</span>
        </div>
    }
}

/// What goes before the byte at `position` in its line: nothing before the first,
/// two spaces between the two groups of eight, one space elsewhere.
fn separator(position: usize) -> &'static str {
    match position {
        0 => "",
        p if p == BYTES_PER_LINE / 2 => "  ",
        _ => " ",
    }
}

/// Bytes as hex pairs with the separators between them; `first` is the position of
/// `bytes[0]` in its line, and `lead` says whether its own separator is written too.
pub fn hex_bytes(bytes: &[u8], first: usize, lead: bool) -> String {
    let mut out = String::with_capacity(bytes.len() * 3 + 1);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 || lead {
            out.push_str(separator(first + i));
        }
        out.push_str(&format!("{b:02x}"));
    }
    out
}
