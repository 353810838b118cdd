//! The size report of the release bundle: every `.wasm` and `.js` file in `dist/`, raw and
//! gzip-compressed (best compression, as `gzip -9`), and the total against the budget.

use std::path::Path;

use miniz_oxide::deflate::compress_to_vec;

use crate::shell::Outcome;

/// The most the compressed `.wasm` and `.js` files together may weigh: 300 KB.
pub const BUDGET_GZ_BYTES: u64 = 300_000;

/// Bytes a gzip member adds around the deflate stream: a 10-byte header, an 8-byte trailer.
const GZIP_FRAME_BYTES: u64 = 18;

/// The deflate level that matches `gzip -9`.
const GZIP_LEVEL: u8 = 9;

/// The sizes of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSize {
    /// The file name inside `dist/`.
    pub name: String,
    /// Bytes on disk.
    pub raw: u64,
    /// Bytes after gzip compression.
    pub gz: u64,
}

/// The sizes of all measured files, sorted by name.
#[derive(Debug, Default)]
pub struct Report {
    /// One entry per `.wasm` or `.js` file.
    pub files: Vec<FileSize>,
}

/// Measures every `.wasm` and `.js` file directly in `dist`.
pub fn measure(dist: &Path) -> Outcome<Report> {
    let entries = std::fs::read_dir(dist)
        .map_err(|error| format!("cannot read {}: {error}", dist.display()))?;
    let mut files = Vec::new();
    for path in entries.flatten().map(|entry| entry.path()) {
        let wanted = path.extension().is_some_and(|ext| ext == "wasm" || ext == "js");
        if !wanted || !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        files.push(FileSize { name, raw: bytes.len() as u64, gz: gzip_size(&bytes) });
    }
    if files.is_empty() {
        return Err(format!("no .wasm or .js files in {}", dist.display()));
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Report { files })
}

/// The size of `bytes` as a gzip file at the highest compression level.
pub fn gzip_size(bytes: &[u8]) -> u64 {
    compress_to_vec(bytes, GZIP_LEVEL).len() as u64 + GZIP_FRAME_BYTES
}

impl Report {
    /// Total bytes on disk.
    pub fn total_raw(&self) -> u64 {
        self.files.iter().map(|file| file.raw).sum()
    }

    /// Total bytes compressed, the number the budget limits.
    pub fn total_gz(&self) -> u64 {
        self.files.iter().map(|file| file.gz).sum()
    }

    /// Whether the compressed total is above [`BUDGET_GZ_BYTES`].
    pub fn over_budget(&self) -> bool {
        self.total_gz() > BUDGET_GZ_BYTES
    }

    /// Prints the table, the total and the budget verdict.
    pub fn print(&self) {
        let width = self.files.iter().map(|file| file.name.len()).max().unwrap_or(0).max(5);
        println!("\nRelease bundle size (dist/, gzip -9):");
        println!("  {:<width$}  {:>12}  {:>12}", "file", "raw bytes", "gzip bytes");
        for file in &self.files {
            println!("  {:<width$}  {:>12}  {:>12}", file.name, group(file.raw), group(file.gz));
        }
        let (raw, gz) = (group(self.total_raw()), group(self.total_gz()));
        println!("  {:<width$}  {raw:>12}  {gz:>12}", "total");
        println!("{}", self.verdict());
    }

    /// One line comparing the compressed total with the budget.
    pub fn verdict(&self) -> String {
        let (gz, budget) = (group(self.total_gz()), group(BUDGET_GZ_BYTES));
        let percent = self.total_gz() * 100 / BUDGET_GZ_BYTES;
        if self.over_budget() {
            format!("OVER BUDGET: {gz} gzip bytes is more than the {budget}-byte (300 KB) budget")
        } else {
            format!("Within budget: {gz} of {budget} gzip bytes ({percent}% of 300 KB)")
        }
    }
}

/// A number with thousands separators: `152591` gives `152,591`.
fn group(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(gz: &[u64]) -> Report {
        let files =
            gz.iter().map(|&gz| FileSize { name: format!("f{gz}"), raw: gz * 3, gz }).collect();
        Report { files }
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(152_591), "152,591");
        assert_eq!(group(1_234_567), "1,234,567");
    }

    #[test]
    fn gzip_shrinks_repetitive_input() {
        let text = "DHCPREQUEST for 192.0.2.10 from 02:00:00:00:00:01 via eth0\n".repeat(200);
        let size = gzip_size(text.as_bytes());
        assert!(size > GZIP_FRAME_BYTES && size < text.len() as u64 / 10, "{size}");
    }

    #[test]
    fn budget_verdict() {
        let within = report(&[66_000, 7_000]);
        assert_eq!(within.total_gz(), 73_000);
        assert!(!within.over_budget());
        assert!(within.verdict().starts_with("Within budget: 73,000 of 300,000"));
        let over = report(&[290_000, 20_000]);
        assert!(over.over_budget());
        assert!(over.verdict().starts_with("OVER BUDGET: 310,000"));
    }

    #[test]
    fn missing_dist_is_an_error() {
        assert!(measure(Path::new("no-such-dist")).is_err());
    }
}
