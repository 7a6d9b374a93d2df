//! The zip and gzip readers over real archives: `tests/fixtures/export.zip` and `export64.zip`
//! were written by Info-ZIP `zip` 3.0 and `*.gz` by GNU gzip (commands in fixtures/README.md),
//! from MIT-licensed python-fitparse files that the shared corpus holds too.

use app::archive::zip::{self, Directory, Entry, Tail};
use app::archive::{ArchiveError, Kind, Packing, gzip, unpack};

const EXPORT: &[u8] = include_bytes!("fixtures/export.zip");
const EXPORT64: &[u8] = include_bytes!("fixtures/export64.zip");
const BIKE_GZ: &[u8] = include_bytes!("fixtures/garmin-fenix-5-bike.fit.gz");

fn corpus(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../shared/fixtures/python-fitparse/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What the browser does with `File.slice()`, on bytes in memory.
fn slice(archive: &[u8], offset: u64, len: u64) -> &[u8] {
    let start = (offset as usize).min(archive.len());
    let end = (offset.saturating_add(len) as usize).min(archive.len());
    &archive[start..end]
}

fn directory(archive: &[u8]) -> Result<Directory, ArchiveError> {
    let len = archive.len() as u64;
    let tail_len = zip::TAIL_LEN.min(len);
    match zip::locate(slice(archive, len - tail_len, tail_len), len)? {
        Tail::Directory(d) => Ok(d),
        Tail::Zip64 { record_offset } => {
            zip::zip64_directory(slice(archive, record_offset, zip::ZIP64_RECORD_LEN), len)
        }
    }
}

fn list(archive: &[u8]) -> Result<Vec<Entry>, ArchiveError> {
    let d = directory(archive)?;
    zip::entries(slice(archive, d.offset, d.size), &d)
}

fn read(archive: &[u8], entry: &Entry) -> Result<Vec<u8>, ArchiveError> {
    let header = slice(archive, entry.header_offset, zip::LOCAL_HEADER_LEN);
    let start = zip::data_offset(entry, header)?;
    let data = slice(archive, start, entry.compressed_size);
    if (data.len() as u64) < entry.compressed_size {
        return Err(ArchiveError::Truncated("an entry's data"));
    }
    unpack(data, entry.packing()?)
}

#[test]
fn a_zip_export_lists_its_entries_as_unzip_does() {
    let entries = list(EXPORT).unwrap();
    // `unzip -lv export.zip`: name, method, compressed size, size, CRC-32.
    let seen: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                e.name.as_str(),
                e.method,
                e.compressed_size,
                e.size,
                e.crc32,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "export/activities/garmin-fenix-5-run.fit",
                8,
                2665,
                5597,
                0x4968_6293
            ),
            (
                "export/activities/garmin-fenix-5-walk.fit.gz",
                0,
                2429,
                2429,
                0x255a_7f69
            ),
            ("export/profile.json", 0, 18, 18, 0x145a_bd68),
            (
                "export/activities/2015/2015-10-13-08-43-15.fit",
                0,
                5503,
                5503,
                0x01ee_04d6
            ),
            ("export/empty/", 0, 0, 0, 0),
        ]
    );
    let kinds: Vec<_> = entries.iter().map(Entry::kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::Activity,
            Kind::GzippedActivity,
            Kind::Other,
            Kind::Activity,
            Kind::Other
        ]
    );
    assert!(entries[4].is_dir());
}

#[test]
fn deflated_stored_and_gzipped_entries_unpack_to_the_original_bytes() {
    let entries = list(EXPORT).unwrap();
    assert_eq!(
        read(EXPORT, &entries[0]).unwrap(),
        corpus("garmin-fenix-5-run.fit")
    );
    assert_eq!(
        read(EXPORT, &entries[1]).unwrap(),
        corpus("garmin-fenix-5-walk.fit")
    );
    assert_eq!(
        read(EXPORT, &entries[2]).unwrap(),
        b"{\"name\":\"runner\"}\n"
    );
    assert_eq!(
        read(EXPORT, &entries[3]).unwrap(),
        corpus("2015-10-13-08-43-15.fit")
    );
}

#[test]
fn zip64_archives_are_read_through_their_zip64_records() {
    let len = EXPORT64.len() as u64;
    let tail = zip::locate(slice(EXPORT64, 0, len), len).unwrap();
    // Info-ZIP with -fz: the Zip64 end record at 2853 (`PK\x06\x06`).
    assert_eq!(
        tail,
        Tail::Zip64 {
            record_offset: 2853
        }
    );
    let entries = list(EXPORT64).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].size, 5597);
    assert_eq!(
        read(EXPORT64, &entries[0]).unwrap(),
        corpus("garmin-fenix-5-run.fit")
    );
}

#[test]
fn a_gzip_file_unpacks_with_its_checksum() {
    let bytes = unpack(BIKE_GZ, Packing::Gzip).unwrap();
    assert_eq!(bytes, corpus("garmin-fenix-5-bike.fit"));
}

#[test]
fn bad_gzip_gives_clear_errors() {
    assert_eq!(gzip::decompress(b"not gzip"), Err(ArchiveError::NotGzip));
    assert_eq!(
        gzip::decompress(&BIKE_GZ[..12]),
        Err(ArchiveError::Truncated("the gzip header"))
    );
    let mut flipped = BIKE_GZ.to_vec();
    let n = flipped.len();
    flipped[n - 5] ^= 0xFF; // the CRC-32 in the trailer
    assert!(matches!(
        gzip::decompress(&flipped),
        Err(ArchiveError::Checksum { .. })
    ));
    let cut = gzip::decompress(&BIKE_GZ[..BIKE_GZ.len() / 2]).unwrap_err();
    assert!(!cut.to_string().is_empty());
}

#[test]
fn bad_zips_give_clear_errors() {
    assert_eq!(
        list(b"PK\x03\x04 and then nothing of use"),
        Err(ArchiveError::NotZip)
    );
    assert_eq!(list(&[0u8; 10]), Err(ArchiveError::NotZip));
    // A download that stopped halfway: no end record.
    assert_eq!(list(&EXPORT[..EXPORT.len() / 2]), Err(ArchiveError::NotZip));
    // The first bytes lost: the directory is not where the end record says.
    let err = list(&EXPORT[100..]).unwrap_err();
    assert!(err.to_string().contains("damaged"), "{err}");
    // A damaged byte inside the deflated entry.
    let entries = list(EXPORT).unwrap();
    let mut damaged = EXPORT.to_vec();
    let start = zip::data_offset(&entries[0], slice(EXPORT, entries[0].header_offset, 30)).unwrap();
    damaged[start as usize + 1000] ^= 0x55;
    let err = read(&damaged, &entries[0]).unwrap_err();
    assert!(
        matches!(
            err,
            ArchiveError::Checksum { .. } | ArchiveError::Inflate(_) | ArchiveError::Size { .. }
        ),
        "{err}"
    );
    // Unsupported method and encryption.
    let mut bzip2 = entries[0].clone();
    bzip2.method = 12;
    assert_eq!(
        bzip2.packing().unwrap_err().to_string(),
        "export/activities/garmin-fenix-5-run.fit uses compression method 12; only stored and deflate are supported"
    );
    let mut locked = entries[0].clone();
    locked.flags |= 1;
    assert!(matches!(locked.packing(), Err(ArchiveError::Encrypted(_))));
}

#[test]
fn no_truncation_or_damaged_byte_panics() {
    for archive in [EXPORT, EXPORT64] {
        for cut in 0..archive.len() {
            if let Ok(entries) = list(&archive[..cut]) {
                for e in &entries {
                    let _ = read(&archive[..cut], e);
                }
            }
        }
        for at in 0..archive.len() {
            let mut bytes = archive.to_vec();
            bytes[at] ^= 0xA5;
            if let Ok(entries) = list(&bytes) {
                for e in &entries {
                    let _ = read(&bytes, e);
                }
            }
        }
    }
    for cut in 0..BIKE_GZ.len() {
        let _ = gzip::decompress(&BIKE_GZ[..cut]);
    }
}
