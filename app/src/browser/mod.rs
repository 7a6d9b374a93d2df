/// Small settings kept in the browser's local storage.
pub mod storage;
