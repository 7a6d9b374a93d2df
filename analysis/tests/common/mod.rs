//! What the corpus tests share: finding the files of `../shared/fixtures`.

use std::path::Path;

/// Says that a corpus test found no corpus (`what`: where it looked, or the file): a failure
/// when `STRIDE_REQUIRE_CORPUS=1` (the test command sets it, so CI never passes on nothing), a
/// note otherwise (a clone without `../shared/fixtures`).
#[allow(dead_code)]
pub fn corpus_absent(what: &str) {
    if std::env::var("STRIDE_REQUIRE_CORPUS").as_deref() == Ok("1") {
        panic!("{what} is absent, and STRIDE_REQUIRE_CORPUS=1 says the corpus is required");
    }
    eprintln!("note: {what} is absent; skipped");
}

#[allow(dead_code)]
/// Every file under `root` whose extension is one of `extensions` (ignoring case), as paths
/// relative to `root` with `/` separators, sorted. An unreadable folder is skipped.
pub fn corpus_files(root: &Path, extensions: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    files_with(root, root, extensions, &mut files);
    files.sort();
    files
}

fn files_with(root: &Path, dir: &Path, extensions: &[&str], out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_with(root, &path, extensions, out);
        } else if path
            .extension()
            .is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
            && let Ok(relative) = path.strip_prefix(root)
        {
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}
