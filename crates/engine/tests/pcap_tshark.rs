//! Wireshark's own dissectors (tshark) read the capture of every built-in
//! scenario without a malformed packet, a warning or an error, with correct
//! IPv4, UDP and TCP checksums, and show the values the engine meant: per
//! DHCP packet the message type, xid, yiaddr, lease time and server
//! identifier; per failover message the type and xid, per BNDUPD the
//! binding status, assigned address, potential and lease expiration, and the
//! options of the connection, state and pool messages. The same holds for a
//! scenario with a cut, a killed server, a restart and a shutdown; the one
//! warning allowed is the "connection reset" of the RST a killed server's
//! kernel sends.
//!
//! tshark must be installed (the test command installs it); set `TSHARK` to
//! use another binary. Without it these tests fail rather than pass quietly.
#![cfg(not(target_arch = "wasm32"))]

mod wire_support;

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use dhcpfo_engine::packet::{Body, FailoverMessage, Packet};
use dhcpfo_engine::pcap::{self, Record, PRIMARY_MAC, SECONDARY_MAC};
use dhcpfo_engine::scenario::{Config, Scenario};
use dhcpfo_engine::trace::{Effect, Why};
use dhcpfo_engine::wire;
use dhcpfo_engine::wire::net::{self, tcp_flags, Ipv4Header, TcpSegment};
use dhcpfo_engine::Timeline;
use wire_support::{builtin_runs, every_message_type, sent_packets};

/// The tshark fields read per frame, in column order.
const FIELDS: [&str; 27] = [
    "frame.number",
    "frame.time_epoch",
    "ip.checksum.status",
    "udp.checksum.status",
    "tcp.checksum.status",
    "dhcp.option.dhcp",
    "dhcp.id",
    "dhcp.ip.your",
    "dhcp.option.ip_address_lease_time",
    "dhcp.option.dhcp_server_id",
    "dhcpfo.type",
    "dhcpfo.xid",
    "dhcpfo.bindingstatus",
    "dhcpfo.assignedipaddress",
    "dhcpfo.potentialexpirationtime",
    "dhcpfo.leaseexpirationtime",
    "dhcpfo.serverstatus",
    "dhcpfo.serverflag",
    "dhcpfo.starttimeofstate",
    "dhcpfo.mclt",
    "dhcpfo.hashbucketassignment",
    "dhcpfo.relationshipname",
    "dhcpfo.maxunackedbndupd",
    "dhcpfo.receivetimer",
    "dhcpfo.rejectreason",
    "dhcpfo.addressestransferred",
    "tcp.analysis.retransmission",
];

/// Runs tshark on `file` with checksum validation on and name resolution off.
fn tshark(file: &Path, args: &[&str]) -> String {
    let program = std::env::var("TSHARK").unwrap_or_else(|_| "tshark".to_string());
    let checks = ["ip.check_checksum:TRUE", "udp.check_checksum:TRUE", "tcp.check_checksum:TRUE"];
    let mut command = Command::new(&program);
    command.arg("-n").arg("-r").arg(file).args(["-d", "tcp.port==647,dhcpfo"]);
    for check in checks {
        command.args(["-o", check]);
    }
    let output = command.args(args).output().unwrap_or_else(|e| {
        panic!(
            "cannot run `{program}` ({e}). These tests need tshark: install it \
             (Debian: apt-get install tshark) or set TSHARK to its path"
        )
    });
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "tshark failed on {}: {stderr}", file.display());
    String::from_utf8(output.stdout).expect("tshark prints UTF-8")
}

/// A directory of this test's own, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("dhcpfo-{label}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One frame as tshark shows it: the FIELDS columns.
struct Row(Vec<String>);

impl Row {
    fn get(&self, field: &str) -> &str {
        let index = FIELDS.iter().position(|f| *f == field).expect("a listed field");
        self.0.get(index).map_or("", String::as_str)
    }
}

fn rows(file: &Path) -> Vec<Row> {
    let mut args = vec!["-T", "fields", "-E", "separator=/t", "-E", "occurrence=a"];
    for field in FIELDS {
        args.extend(["-e", field]);
    }
    let text = tshark(file, &args);
    text.lines().map(|line| Row(line.split('\t').map(str::to_string).collect())).collect()
}

fn write_capture(
    dir: &TempDir,
    name: &str,
    cfg: &Config,
    steps: &[dhcpfo_engine::Step],
) -> PathBuf {
    let path = dir.0.join(format!("{name}.pcap"));
    std::fs::write(&path, pcap::capture(cfg, steps).expect("capture")).expect("write capture");
    path
}

/// The built-in runs and the fault scenario of the capture tests.
fn runs() -> Vec<(&'static str, Arc<Config>, Timeline)> {
    let mut runs = builtin_runs();
    let faults = include_str!("data/pcap-faults.toml");
    let cfg = Scenario::from_toml(faults).expect("parses").validate().expect("valid");
    runs.push(("pcap-faults", cfg.clone(), Timeline::run(cfg)));
    runs
}

/// The only expert warning a capture may hold: the RST of a killed server.
const RESET: &str = "Connection reset (RST)";

#[test]
fn tshark_finds_nothing_malformed_and_no_warning_or_error() {
    let dir = TempDir::new("tshark-experts");
    for (name, cfg, timeline) in runs() {
        let file = write_capture(&dir, name, &cfg, timeline.steps());
        let filter = "_ws.malformed || _ws.expert.severity >= 0x00600000";
        let args = [
            "-Y",
            filter,
            "-T",
            "fields",
            "-E",
            "occurrence=a",
            "-e",
            "frame.number",
            "-e",
            "tcp.flags.reset",
            "-e",
            "_ws.expert.message",
        ];
        let problems = tshark(&file, &args);
        let problems: Vec<&str> = problems
            .lines()
            .filter(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                let warnings: Vec<&str> = fields.get(2).unwrap_or(&"").split(',').collect();
                // A RST frame may carry the reset warning (and notes), nothing else.
                fields.get(1) != Some(&"1") || !warnings.contains(&RESET) || warnings.len() > 1
            })
            .collect();
        assert!(problems.is_empty(), "{name}: tshark reports problems:\n{problems:#?}");
        for row in rows(&file) {
            for field in ["ip.checksum.status", "udp.checksum.status", "tcp.checksum.status"] {
                // 1 = good; empty when the frame has no such layer.
                assert!(
                    matches!(row.get(field), "" | "1"),
                    "{name} frame {}: {field}",
                    row.get("frame.number")
                );
            }
        }
    }
}

#[test]
fn tshark_shows_the_values_the_engine_meant() {
    let dir = TempDir::new("tshark-values");
    // Some scenarios keep the link quiet; all of them together must not.
    let mut checked = 0;
    for (name, cfg, timeline) in runs() {
        let file = write_capture(&dir, name, &cfg, timeline.steps());
        let rows = rows(&file);
        // tshark leaves retransmitted data undissected: compare first transmissions.
        let packets: Vec<&Packet> = first_transmissions(&timeline);
        let dhcp_rows: Vec<&Row> =
            rows.iter().filter(|r| !r.get("dhcp.option.dhcp").is_empty()).collect();
        let fo_rows: Vec<&Row> = rows.iter().filter(|r| !r.get("dhcpfo.type").is_empty()).collect();
        let (dhcp, failover): (Vec<&Packet>, Vec<&Packet>) =
            packets.iter().partition(|p| matches!(p.body, Body::Dhcp(_)));
        assert_eq!(dhcp_rows.len(), dhcp.len(), "{name}: DHCP packets tshark sees");
        assert_eq!(fo_rows.len(), failover.len(), "{name}: failover messages tshark sees");
        checked += failover.len();
        for (row, packet) in dhcp_rows.iter().zip(&dhcp) {
            check_dhcp_row(&cfg, row, packet, name);
        }
        for (row, packet) in fo_rows.iter().zip(&failover) {
            check_failover_row(&cfg, row, packet, name);
        }
        let resent = rows.iter().filter(|r| !r.get("tcp.analysis.retransmission").is_empty());
        let resent_packets = sent_packets(&timeline).len() - packets.len();
        assert_eq!(resent.count(), resent_packets, "{name}: retransmissions tshark sees");
    }
    assert!(checked > 100, "only {checked} failover messages to check");
}

/// The packets a run sent, but not TCP's second transmissions after a cut.
fn first_transmissions(timeline: &Timeline) -> Vec<&Packet> {
    let effects = timeline.steps().iter().flat_map(|s| &s.effects);
    effects
        .filter_map(|e| match e {
            Effect::Sent { packet, why } if *why != Why::TcpRetransmit => Some(&**packet),
            _ => None,
        })
        .collect()
}

fn check_dhcp_row(cfg: &Config, row: &Row, packet: &Packet, name: &str) {
    let Body::Dhcp(m) = &packet.body else { unreachable!("partitioned") };
    let what = format!("{name} frame {} ({})", row.get("frame.number"), m.message_type.name());
    assert_eq!(row.get("frame.time_epoch"), epoch_text(cfg, packet), "{what}: time");
    assert_eq!(row.get("dhcp.option.dhcp"), m.message_type.code().to_string(), "{what}");
    assert_eq!(row.get("dhcp.id"), format!("{:#010x}", m.xid), "{what}: xid");
    assert_eq!(row.get("dhcp.ip.your"), m.yiaddr.to_string(), "{what}: yiaddr");
    let lease_time = m.lease_time.map(|t| t.to_string()).unwrap_or_default();
    assert_eq!(row.get("dhcp.option.ip_address_lease_time"), lease_time, "{what}: lease time");
    let server_id = m.server_id.map(|a| a.to_string()).unwrap_or_default();
    assert_eq!(row.get("dhcp.option.dhcp_server_id"), server_id, "{what}: server id");
}

fn check_failover_row(cfg: &Config, row: &Row, packet: &Packet, name: &str) {
    let Body::Failover(m) = &packet.body else { unreachable!("partitioned") };
    let what = format!("{name} frame {} ({})", row.get("frame.number"), m.name());
    assert_eq!(row.get("frame.time_epoch"), epoch_text(cfg, packet), "{what}: time");
    let address = m.address().map(|a| a.to_string()).unwrap_or_default();
    assert_eq!(row.get("dhcpfo.assignedipaddress"), address, "{what}: address");
    let absolute = |t: u64| if t == 0 { 0 } else { cfg.start_epoch + t };
    match m {
        FailoverMessage::BndUpd(u) => {
            assert_eq!(row.get("dhcpfo.type"), "3", "{what}");
            assert_eq!(row.get("dhcpfo.xid"), format!("{:#010x}", u.xid), "{what}: xid");
            assert_eq!(
                row.get("dhcpfo.bindingstatus"),
                u.status.wire_value().to_string(),
                "{what}"
            );
            let pot = absolute(u.potential_expiration).to_string();
            assert_eq!(
                row.get("dhcpfo.potentialexpirationtime"),
                pot,
                "{what}: potential expiration"
            );
            let ends = absolute(u.lease_expiration).to_string();
            assert_eq!(row.get("dhcpfo.leaseexpirationtime"), ends, "{what}: lease expiration");
        }
        FailoverMessage::BndAck(a) => {
            assert_eq!(row.get("dhcpfo.type"), "4", "{what}");
            assert_eq!(row.get("dhcpfo.xid"), format!("{:#010x}", a.xid), "{what}: xid");
            assert_eq!(row.get("dhcpfo.bindingstatus"), "", "{what}");
        }
        other => {
            assert_eq!(row.get("dhcpfo.xid"), format!("{:#010x}", other.xid()), "{what}: xid");
            check_link_row(cfg, row, other, &what);
        }
    }
}

/// The options of the connection, state and pool messages.
fn check_link_row(cfg: &Config, row: &Row, m: &FailoverMessage, what: &str) {
    let absolute = |t: u64| if t == 0 { 0 } else { cfg.start_epoch + t };
    let text = |v: Option<u8>| v.map(|v| v.to_string()).unwrap_or_default();
    match m {
        FailoverMessage::Connect(c) => {
            assert_eq!(row.get("dhcpfo.relationshipname"), c.name, "{what}: name");
            assert_eq!(row.get("dhcpfo.mclt"), c.mclt.to_string(), "{what}: MCLT");
            let hba: String = c.hba.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(row.get("dhcpfo.hashbucketassignment"), hba, "{what}: HBA");
            assert_eq!(row.get("dhcpfo.maxunackedbndupd"), c.max_unacked.to_string(), "{what}");
            assert_eq!(row.get("dhcpfo.receivetimer"), c.receive_timer.to_string(), "{what}");
        }
        FailoverMessage::ConnectAck(a) => {
            assert_eq!(row.get("dhcpfo.relationshipname"), a.name, "{what}: name");
            assert_eq!(row.get("dhcpfo.rejectreason"), text(a.reject_reason), "{what}");
            assert_eq!(row.get("dhcpfo.maxunackedbndupd"), a.max_unacked.to_string(), "{what}");
        }
        FailoverMessage::State(s) => {
            let state = wire::failover::server_state_to_wire(s.state);
            assert_eq!(row.get("dhcpfo.serverstatus"), text(state), "{what}: state");
            assert_eq!(row.get("dhcpfo.serverflag"), u8::from(s.startup).to_string(), "{what}");
            let stos = absolute(s.stos).to_string();
            assert_eq!(row.get("dhcpfo.starttimeofstate"), stos, "{what}: STOS");
        }
        FailoverMessage::Disconnect(d) => {
            assert_eq!(row.get("dhcpfo.rejectreason"), d.reject_reason.to_string(), "{what}");
        }
        FailoverMessage::PoolResp(r) => {
            let moved = r.transferred.to_string();
            assert_eq!(row.get("dhcpfo.addressestransferred"), moved, "{what}");
        }
        _ => assert_eq!(row.get("dhcpfo.serverstatus"), "", "{what}: no options"),
    }
}

/// `frame.time_epoch` as tshark prints it: seconds with nine decimals.
fn epoch_text(cfg: &Config, packet: &Packet) -> String {
    let ms = packet.sent_at.millis();
    format!("{}.{:03}000000", cfg.start_epoch + ms / 1000, ms % 1000)
}

/// One TCP segment between 10.0.0.1:49152 and 10.0.0.2:647 as an Ethernet frame.
fn segment(from_primary: bool, seq: u32, ack: u32, flags: u8, payload: &[u8], ms: u64) -> Record {
    let (primary, secondary) = (Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
    let (src, dst, src_port, dst_port, src_mac, dst_mac) = if from_primary {
        (primary, secondary, 49152, 647, PRIMARY_MAC, SECONDARY_MAC)
    } else {
        (secondary, primary, 647, 49152, SECONDARY_MAC, PRIMARY_MAC)
    };
    let mss = (flags & tcp_flags::SYN != 0).then_some(1460);
    let s = TcpSegment { src_port, dst_port, seq, ack, flags, window: 64240, mss, payload };
    let tcp = net::tcp_segment(src, dst, &s).unwrap();
    let ip =
        Ipv4Header { src, dst, protocol: net::PROTO_TCP, ident: 1, ttl: 64, dont_fragment: true };
    let ip = net::ipv4_packet(&ip, &tcp).unwrap();
    let data = net::ethernet_frame(dst_mac, src_mac, net::ETHERTYPE_IPV4, &ip);
    Record { timestamp_us: u64::from(wire_support::TIME) * 1_000_000 + ms * 1000, data }
}

#[test]
fn tshark_decodes_all_twelve_message_types_in_one_segment() {
    use tcp_flags::{ACK, PSH, SYN};
    let stream: Vec<u8> = every_message_type().iter().flat_map(|f| f.encode().unwrap()).collect();
    let end = 101 + stream.len() as u32;
    let records = [
        segment(true, 100, 0, SYN, &[], 0),
        segment(false, 500, 101, SYN | ACK, &[], 1),
        segment(true, 101, 501, ACK, &[], 2),
        segment(true, 101, 501, PSH | ACK, &stream, 3),
        segment(false, 501, end, ACK, &[], 4),
    ];
    let dir = TempDir::new("tshark-types");
    let file = dir.0.join("types.pcap");
    std::fs::write(&file, pcap::write_pcap(&records).unwrap()).unwrap();

    let filter = "_ws.malformed || _ws.expert.severity >= 0x00600000";
    let problems = tshark(&file, &["-Y", filter, "-T", "fields", "-e", "_ws.expert.message"]);
    assert!(problems.trim().is_empty(), "tshark reports problems:\n{problems}");
    let args = ["-Y", "dhcpfo", "-T", "fields", "-E", "occurrence=a", "-e", "dhcpfo.type"];
    let types = tshark(&file, &args);
    assert_eq!(types.trim(), "1,2,3,4,5,6,7,8,9,10,11,12");
    let args = ["-Y", "dhcpfo", "-T", "fields", "-E", "occurrence=a", "-e", "dhcpfo.serverstatus"];
    assert_eq!(tshark(&file, &args).trim(), "254");
}
