//! What the corpus tests share: finding the files of `../shared/fixtures`.

use std::path::Path;

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
