//! How far an import has got: files and bytes done, what became of them, and the time left.

/// The state of one import, updated after each file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportProgress {
    /// Files handled (imported, known, failed).
    pub files_done: usize,
    /// Files to handle.
    pub files_total: usize,
    /// Bytes read so far (for a zip entry, its compressed size).
    pub bytes_done: f64,
    /// Bytes to read.
    pub bytes_total: f64,
    /// Seconds since the import started.
    pub elapsed_s: f64,
    /// New runs.
    pub added: usize,
    /// Files the library already had.
    pub known: usize,
    /// Files that are another original of a run the library has (the same activity).
    pub same_run: usize,
    /// Files that hold no activity (a device's settings), passed over.
    pub no_activity: usize,
    /// Files that could not be imported.
    pub failed: usize,
    /// Files of folders and archives passed over (not FIT, GPX or TCX).
    pub skipped: usize,
    /// The runner cancelled the import.
    pub cancelled: bool,
    /// The import has stopped (done or cancelled).
    pub finished: bool,
}

impl ImportProgress {
    /// Seconds left, from the rate so far over bytes; `None` before the first file.
    pub fn time_left_s(&self) -> Option<f64> {
        if self.finished || self.files_done == 0 || self.bytes_done <= 0.0 {
            return None;
        }
        let left = (self.bytes_total - self.bytes_done).max(0.0);
        Some(self.elapsed_s * left / self.bytes_done)
    }

    /// What the progress line says.
    pub fn text(&self) -> String {
        let files = format!("{} of {} files", self.files_done, self.files_total);
        let bytes = format!(
            "{} of {}",
            megabytes(self.bytes_done),
            megabytes(self.bytes_total)
        );
        if !self.finished {
            let left = self
                .time_left_s()
                .map(|s| format!(" · about {} left", seconds(s)))
                .unwrap_or_default();
            return format!("Importing: {files} · {bytes}{left}");
        }
        let mut parts = vec![format!("{} new", self.added)];
        if self.known > 0 {
            parts.push(format!("{} already in the library", self.known));
        }
        if self.same_run > 0 {
            parts.push(format!(
                "{} the same run as one already in the library",
                self.same_run
            ));
        }
        if self.no_activity > 0 {
            parts.push(format!("{} without an activity skipped", self.no_activity));
        }
        if self.failed > 0 {
            parts.push(format!("{} failed", self.failed));
        }
        if self.skipped > 0 {
            parts.push(format!("{} other files skipped", self.skipped));
        }
        let head = if self.cancelled {
            "Cancelled: imported"
        } else {
            "Imported"
        };
        format!(
            "{head} {files} ({}) in {}",
            parts.join(", "),
            seconds(self.elapsed_s)
        )
    }
}

fn megabytes(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1_000_000.0)
}

fn seconds(s: f64) -> String {
    if s < 60.0 {
        format!("{s:.0} s")
    } else {
        let m = (s / 60.0).round();
        format!("{m:.0} min")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_follows_the_byte_rate() {
        let mut p = ImportProgress {
            files_done: 10,
            files_total: 40,
            bytes_done: 2_000_000.0,
            bytes_total: 8_000_000.0,
            elapsed_s: 4.0,
            ..Default::default()
        };
        assert_eq!(p.time_left_s(), Some(12.0));
        assert_eq!(
            p.text(),
            "Importing: 10 of 40 files · 2.0 MB of 8.0 MB · about 12 s left"
        );
        p.files_done = 0;
        assert_eq!(p.time_left_s(), None);
        assert_eq!(p.text(), "Importing: 0 of 40 files · 2.0 MB of 8.0 MB");
    }

    #[test]
    fn the_closing_line_counts_outcomes() {
        let p = ImportProgress {
            files_done: 25,
            files_total: 25,
            bytes_done: 3_500_000.0,
            bytes_total: 3_500_000.0,
            elapsed_s: 95.0,
            added: 22,
            known: 1,
            failed: 2,
            skipped: 3,
            finished: true,
            ..Default::default()
        };
        assert_eq!(
            p.text(),
            "Imported 25 of 25 files (22 new, 1 already in the library, 2 failed, 3 other files skipped) in 2 min"
        );
        let merged = ImportProgress {
            added: 19,
            same_run: 2,
            no_activity: 1,
            ..p
        };
        assert_eq!(
            merged.text(),
            "Imported 25 of 25 files (19 new, 1 already in the library, 2 the same run as one already in the library, 1 without an activity skipped, 2 failed, 3 other files skipped) in 2 min"
        );
        let cancelled = ImportProgress {
            files_done: 5,
            files_total: 25,
            added: 5,
            cancelled: true,
            finished: true,
            elapsed_s: 1.2,
            ..Default::default()
        };
        assert_eq!(
            cancelled.text(),
            "Cancelled: imported 5 of 25 files (5 new) in 1 s"
        );
        assert_eq!(cancelled.time_left_s(), None);
    }
}
