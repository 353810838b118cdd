//! The size report of the release bundle: every `.wasm` and `.js` file under `dist/` (wasm-bindgen
//! snippets included), raw and gzip-compressed (best compression, as `gzip -9`), in two groups:
//! what the page loads before its first paint, whose total the budget limits, and the on-demand
//! tools module (the dhcpd.conf importer and the file writers, run in a web worker the page
//! starts on first use), which is reported apart and not counted in the budget.

use std::path::{Path, PathBuf};

use miniz_oxide::deflate::compress_to_vec;

use crate::shell::Outcome;

/// The most the compressed `.wasm` and `.js` files together may weigh: 300 KB.
pub const BUDGET_GZ_BYTES: u64 = 300_000;

/// Bytes a gzip member adds around the deflate stream: a 10-byte header, an 8-byte trailer.
const GZIP_FRAME_BYTES: u64 = 18;

/// The deflate level that matches `gzip -9`.
const GZIP_LEVEL: u8 = 9;

/// How the on-demand module's files start: Trunk names a worker's files after its bin target
/// (`dhcpfo-tools` in crates/ui/Cargo.toml) and adds no hash.
pub const ON_DEMAND_PREFIX: &str = "dhcpfo-tools";

/// The sizes of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSize {
    /// The file's path inside `dist/`, with `/` between folders.
    pub name: String,
    /// Bytes on disk.
    pub raw: u64,
    /// Bytes after gzip compression.
    pub gz: u64,
}

impl FileSize {
    /// Whether the file belongs to the on-demand tools module rather than the page's first load.
    pub fn on_demand(&self) -> bool {
        self.name.starts_with(ON_DEMAND_PREFIX)
    }
}

/// The sizes of all measured files, sorted by name.
#[derive(Debug, Default)]
pub struct Report {
    /// One entry per `.wasm` or `.js` file.
    pub files: Vec<FileSize>,
}

/// Measures every `.wasm` and `.js` file under `dist`, in any folder.
pub fn measure(dist: &Path) -> Outcome<Report> {
    let mut files = Vec::new();
    for path in files_under(dist)? {
        let wanted = path.extension().is_some_and(|ext| ext == "wasm" || ext == "js");
        if !wanted {
            continue;
        }
        let bytes = std::fs::read(&path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let relative = path.strip_prefix(dist).unwrap_or(&path);
        let parts: Vec<_> = relative.iter().map(|part| part.to_string_lossy()).collect();
        let name = parts.join("/");
        files.push(FileSize { name, raw: bytes.len() as u64, gz: gzip_size(&bytes) });
    }
    if files.is_empty() {
        return Err(format!("no .wasm or .js files in {}", dist.display()));
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Report { files })
}

/// Every file under `dir`, in any folder.
fn files_under(dir: &Path) -> Outcome<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|error| format!("cannot read {}: {error}", dir.display()))?;
    let mut found = Vec::new();
    for path in entries.flatten().map(|entry| entry.path()) {
        if path.is_dir() {
            found.extend(files_under(&path)?);
        } else if path.is_file() {
            found.push(path);
        }
    }
    Ok(found)
}

/// The size of `bytes` as a gzip file at the highest compression level.
pub fn gzip_size(bytes: &[u8]) -> u64 {
    compress_to_vec(bytes, GZIP_LEVEL).len() as u64 + GZIP_FRAME_BYTES
}

impl Report {
    /// The files the page loads before its first paint.
    pub fn at_load(&self) -> impl Iterator<Item = &FileSize> {
        self.files.iter().filter(|file| !file.on_demand())
    }

    /// The files of the on-demand tools module.
    pub fn on_demand(&self) -> impl Iterator<Item = &FileSize> {
        self.files.iter().filter(|file| file.on_demand())
    }

    /// Bytes compressed loaded with the page, the number the budget limits.
    pub fn total_gz(&self) -> u64 {
        self.at_load().map(|file| file.gz).sum()
    }

    /// Bytes compressed of the on-demand module, fetched on first use.
    pub fn on_demand_gz(&self) -> u64 {
        self.on_demand().map(|file| file.gz).sum()
    }

    /// Whether the compressed total loaded with the page is above [`BUDGET_GZ_BYTES`].
    pub fn over_budget(&self) -> bool {
        self.total_gz() > BUDGET_GZ_BYTES
    }

    /// Prints both groups with their totals, and the budget verdict.
    pub fn print(&self) {
        let width = self.files.iter().map(|file| file.name.len()).max().unwrap_or(0).max(5);
        println!("\nRelease bundle size (dist/, gzip -9):");
        println!("    {:<width$}{:>12}  {:>12}", "file", "raw bytes", "gzip bytes");
        println!("  loaded with the page (the budget counts these):");
        print_group(self.at_load(), width);
        let on_demand: Vec<_> = self.on_demand().collect();
        if !on_demand.is_empty() {
            println!("  on demand, fetched on the first import or download (not in the budget):");
            print_group(on_demand.into_iter(), width);
        }
        println!("{}", self.verdict());
    }

    /// One line comparing the compressed total loaded with the page with the budget.
    pub fn verdict(&self) -> String {
        let (gz, budget) = (group(self.total_gz()), group(BUDGET_GZ_BYTES));
        let percent = self.total_gz() * 100 / BUDGET_GZ_BYTES;
        let later = match self.on_demand_gz() {
            0 => String::new(),
            bytes => format!("; the on-demand tools add {} when first used", group(bytes)),
        };
        if self.over_budget() {
            format!(
                "OVER BUDGET: {gz} gzip bytes loaded with the page is more than the {budget}-byte \
                 (300 KB) budget{later}"
            )
        } else {
            format!(
                "Within budget: {gz} of {budget} gzip bytes loaded with the page \
                 ({percent}% of 300 KB){later}"
            )
        }
    }
}

/// Prints one group of files and its total.
fn print_group<'a>(files: impl Iterator<Item = &'a FileSize>, width: usize) {
    let (mut raw, mut gz) = (0, 0);
    for file in files {
        println!("    {:<width$}{:>12}  {:>12}", file.name, group(file.raw), group(file.gz));
        raw += file.raw;
        gz += file.gz;
    }
    println!("    {:<width$}{:>12}  {:>12}", "total", group(raw), group(gz));
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
    fn the_on_demand_module_is_reported_apart_from_the_budget() {
        let mut split = report(&[290_000, 5_000]);
        let worker = format!("{ON_DEMAND_PREFIX}_bg.wasm");
        split.files.push(FileSize { name: worker, raw: 300_000, gz: 130_000 });
        assert_eq!((split.total_gz(), split.on_demand_gz()), (295_000, 130_000));
        assert!(!split.over_budget());
        assert!(split.verdict().ends_with("the on-demand tools add 130,000 when first used"));
    }

    #[test]
    fn snippets_in_folders_are_measured() {
        let dist = std::env::temp_dir().join(format!("dhcpfo-size-test-{}", std::process::id()));
        let snippets = dist.join("snippets").join("x");
        std::fs::create_dir_all(&snippets).expect("a temporary folder can be made");
        std::fs::write(dist.join("page_bg.wasm"), [0u8; 64]).expect("temporary file");
        std::fs::write(snippets.join("client.js"), "export const a = 1;").expect("temporary file");
        let measured = measure(&dist);
        let _ = std::fs::remove_dir_all(&dist);
        let names: Vec<_> = measured.expect("measured").files.into_iter().map(|f| f.name).collect();
        assert_eq!(names, ["page_bg.wasm", "snippets/x/client.js"]);
    }

    #[test]
    fn missing_dist_is_an_error() {
        assert!(measure(Path::new("no-such-dist")).is_err());
    }
}
