//! The original files, content-addressed: each is stored once under the SHA-256 of its bytes,
//! whoever uploaded it, through the `object_store` crate. A local folder by default (written to
//! a temporary name, then renamed, so a crash never leaves half a file under a real name), or an
//! S3-compatible bucket.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutMode, PutOptions, PutPayload};

/// Where the originals are kept.
#[derive(Clone, Debug)]
pub struct Originals {
    store: Arc<dyn ObjectStore>,
}

impl Originals {
    /// A folder on this machine, created if need be. A file being written when the last
    /// process was killed (object_store's `<name>#<n>` staging file) is removed: it never got
    /// its real name, so nothing refers to it. The folder belongs to one server process.
    pub fn local(dir: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the originals folder {}: {e}", dir.display()))?;
        remove_staged(dir);
        let store = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| format!("cannot use the originals folder {}: {e}", dir.display()))?;
        Ok(Self {
            store: Arc::new(store),
        })
    }

    /// An S3-compatible bucket, `s3://BUCKET`. Credentials, region and endpoint come from the
    /// usual `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT` and
    /// `AWS_ALLOW_HTTP` variables.
    pub fn s3(url: &str) -> Result<Self, String> {
        let store = AmazonS3Builder::from_env()
            .with_url(url)
            .build()
            .map_err(|e| format!("cannot use the bucket {url}: {e}"))?;
        Ok(Self {
            store: Arc::new(store),
        })
    }

    /// Kept in memory, for tests.
    pub fn in_memory() -> Self {
        Self {
            store: Arc::new(InMemory::new()),
        }
    }

    /// `ab/abcdef…`: a level of folders so that no folder holds millions of files.
    fn path(sha256: &str) -> ObjectPath {
        ObjectPath::from(format!("{}/{sha256}", &sha256[..2.min(sha256.len())]))
    }

    /// Stores the bytes under their SHA-256 unless they are there already; true when new.
    pub async fn put(&self, sha256: &str, bytes: Bytes) -> Result<bool, object_store::Error> {
        let path = Self::path(sha256);
        match self.store.head(&path).await {
            Ok(_) => return Ok(false),
            Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        let options = PutOptions {
            mode: PutMode::Create,
            ..PutOptions::default()
        };
        match self
            .store
            .put_opts(&path, PutPayload::from_bytes(bytes), options)
            .await
        {
            Ok(_) => Ok(true),
            // Someone stored the same bytes in the meantime.
            Err(object_store::Error::AlreadyExists { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Whether bytes are stored under this SHA-256.
    pub async fn contains(&self, sha256: &str) -> Result<bool, object_store::Error> {
        match self.store.head(&Self::path(sha256)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The bytes stored under this SHA-256.
    pub async fn get(&self, sha256: &str) -> Result<Option<Bytes>, object_store::Error> {
        match self.store.get(&Self::path(sha256)).await {
            Ok(got) => got.bytes().await.map(Some),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Forgets the bytes stored under this SHA-256 (nothing when there are none).
    pub async fn delete(&self, sha256: &str) -> Result<(), object_store::Error> {
        match self.store.delete(&Self::path(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// Removes the staging files (`…#<n>`) left in `dir` and its folders by a killed process.
fn remove_staged(dir: &Path) {
    let entries = |d: &Path| std::fs::read_dir(d).into_iter().flatten().flatten();
    for entry in entries(dir) {
        let path = entry.path();
        let inner: Vec<_> = if path.is_dir() {
            entries(&path).map(|e| e.path()).collect()
        } else {
            vec![path]
        };
        for file in inner {
            let staged = file
                .file_name()
                .is_some_and(|n| n.to_string_lossy().contains('#'));
            if staged && file.is_file() {
                match std::fs::remove_file(&file) {
                    Ok(()) => {
                        tracing::warn!(file = %file.display(), "removed a half-written original")
                    }
                    Err(e) => {
                        tracing::error!(file = %file.display(), "cannot remove a half-written original: {e}")
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn same_bytes_are_stored_once_in_a_folder() {
        let dir = std::env::temp_dir().join(format!("stride-originals-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let originals = Originals::local(&dir).unwrap();
        let sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert!(
            originals
                .put(sha, Bytes::from_static(b"abc"))
                .await
                .unwrap()
        );
        assert!(
            !originals
                .put(sha, Bytes::from_static(b"abc"))
                .await
                .unwrap()
        );
        assert_eq!(std::fs::read(dir.join("ba").join(sha)).unwrap(), b"abc");
        let files: Vec<_> = std::fs::read_dir(dir.join("ba")).unwrap().collect();
        assert_eq!(files.len(), 1, "no temporary file left behind");
        assert_eq!(
            originals.get(sha).await.unwrap().as_deref(),
            Some(&b"abc"[..])
        );
        // What a process killed while writing leaves: a staging file beside the real one.
        std::fs::write(dir.join("ba").join(format!("{sha}#7")), b"ab").unwrap();
        let reopened = Originals::local(&dir).unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.join("ba")).unwrap().collect();
        assert_eq!(files.len(), 1, "the half-written file is gone at start");
        assert!(reopened.contains(sha).await.unwrap());
        originals.delete(sha).await.unwrap();
        originals.delete(sha).await.unwrap();
        assert_eq!(originals.get(sha).await.unwrap(), None);
        assert!(!reopened.contains(sha).await.unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
